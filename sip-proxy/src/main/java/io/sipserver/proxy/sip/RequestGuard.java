package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;

/**
 * One check that runs on every request after it is parsed and before the stack allocates a transaction for it
 * (flood limits, overload, shutdown drain). It must be cheap and must not block: it runs on the stack's worker
 * threads for every message, including floods.
 */
@FunctionalInterface
public interface RequestGuard {

    /**
     * @param request the parsed request
     * @param source the address it came from (the socket peer, not what its Via claims)
     * @return {@link GuardVerdict#PASS} to let it go on, or a verdict that drops or refuses it
     */
    GuardVerdict check(SIPRequest request, InetAddress source);

    /**
     * The verdict on a request that is answered from its bytes, before any parse and without keeping any state: a
     * UDP reader's digest challenge to a REGISTER without credentials ({@link RawRegisterChallenges}). Such an answer
     * costs no more than a refusal, so by default it passes; a guard that must stop it (a flood limit, a drain)
     * says so here.
     *
     * @param source the address it came from
     */
    default GuardVerdict checkStateless(InetAddress source) {
        return GuardVerdict.PASS;
    }

    /** The name its refusals and drops are counted under in the metrics: by default the class's simple name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
