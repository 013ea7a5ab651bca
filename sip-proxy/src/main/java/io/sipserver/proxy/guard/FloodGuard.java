package io.sipserver.proxy.guard;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.RequestGuard;
import java.net.InetAddress;

/**
 * The flood limit as the first request guard. Requests of a banned source are dropped, not answered: as with
 * Kamailio's pike, an answer would cost a send per flooded packet, tell a scanner it found a SIP server, and
 * over UDP reflect traffic at whoever's address was spoofed. A legitimate client that trips the limit
 * retransmits and is served once the cool-down ends.
 */
public final class FloodGuard implements RequestGuard {

    private final FloodLimiter limiter;

    public FloodGuard(FloodLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public GuardVerdict check(SIPRequest request, InetAddress source) {
        return checkStateless(source);
    }

    @Override
    public GuardVerdict checkStateless(InetAddress source) {
        return source == null || limiter.admit(source) ? GuardVerdict.PASS : GuardVerdict.DROP;
    }
}
