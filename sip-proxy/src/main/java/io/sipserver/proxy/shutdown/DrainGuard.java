package io.sipserver.proxy.shutdown;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.RequestGuard;
import java.net.InetAddress;
import java.util.function.Predicate;
import javax.sip.message.Request;

/**
 * While the server drains before shutting down, refuses what would start something new (INVITE, REGISTER,
 * OPTIONS, SUBSCRIBE... outside a dialog) with 503 and Retry-After, so that phones and peers go elsewhere, and
 * lets through what belongs to something already running: requests with a To tag (BYE, re-INVITE, UPDATE, PRACK),
 * ACK, CANCEL, and retransmissions of requests whose transaction began before the drain.
 *
 * <p>Out-of-dialog OPTIONS get the 503 too: load balancers and peers that probe with OPTIONS (Kamailio's
 * dispatcher, Asterisk's qualify) then take this server out of rotation during the drain.
 */
public final class DrainGuard implements RequestGuard {

    /** Reason phrase of the 503s sent while shutting down. */
    public static final String REASON = "Service Unavailable (shutting down)";

    private final GuardVerdict refusal;
    private final Predicate<SIPRequest> hasTransaction;
    private volatile boolean draining;

    /**
     * @param retryAfterSeconds the Retry-After of the refusal
     * @param hasTransaction whether the stack already has a server transaction for the request (a retransmission)
     */
    public DrainGuard(int retryAfterSeconds, Predicate<SIPRequest> hasTransaction) {
        this.refusal = GuardVerdict.refuse(503, retryAfterSeconds, REASON);
        this.hasTransaction = hasTransaction;
    }

    /** From now on, new requests are refused. */
    public void startDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    @Override
    public GuardVerdict check(SIPRequest request, InetAddress source) {
        if (!draining) {
            return GuardVerdict.PASS;
        }
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method) || request.getToTag() != null
                || hasTransaction.test(request)) {
            return GuardVerdict.PASS;
        }
        return refusal;
    }

    /** What is answered without state is new work: refused while draining. */
    @Override
    public GuardVerdict checkStateless(InetAddress source) {
        return draining ? refusal : GuardVerdict.PASS;
    }
}
