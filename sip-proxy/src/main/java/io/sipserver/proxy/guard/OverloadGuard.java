package io.sipserver.proxy.guard;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.NewWorkGuard;
import java.net.InetAddress;
import java.time.Duration;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new work when the server is behind, so that work already accepted completes (RFC 6357). New INVITEs and
 * REGISTERs get 503 with Retry-After at once from when the receive queue is long and even the quickest new requests
 * of the last 250 ms took too long from arrival until processed (a standing delay, not a passing pause) until that
 * delay is short again, or while the server transaction table is above its bound; everything that belongs to calls
 * in progress (ACK, BYE, CANCEL, re-INVITEs, responses) still passes, and is served before new requests (see
 * {@code UdpReceiveQueue}), so new work is what waits when the server is behind. Starting to refuse is logged as a
 * warning, ending as info, so that operators see when and why calls were refused. Over UDP the reader thread refuses
 * from the datagram's bytes before anything is parsed (see {@link NewWorkGuard}), so a refusal costs a scan and one
 * datagram, far less than routing a request, and refusing keeps up with offered load far above what the server can
 * route.
 * Bounding new transactions this way also bounds the stack's server transaction table: what still enters it while
 * refusing belongs to live calls.
 */
public final class OverloadGuard implements NewWorkGuard {

    /** What the guard reads off the running stack. */
    public interface Load {
        /** Standing delay: the shortest time a new request took from arrival until processed, lately, in ms. */
        long delayMillis();

        /** Messages waiting for a worker now. */
        int queuedMessages();

        /** Live server transactions. */
        int serverTransactions();

        /** Whether the request is a retransmission of one the stack is already handling. */
        boolean inProgress(SIPRequest request);
    }

    private static final Logger log = LoggerFactory.getLogger(OverloadGuard.class);

    private final Load load;
    private final long maxDelayMillis;
    private final int minQueued;
    private final int maxServerTransactions;
    private final GuardVerdict busy;
    /** Refusing new work because of the standing delay; written by whichever thread sees the change first. */
    private volatile boolean shedding;

    public OverloadGuard(Load load, Duration maxDelay, int minQueued, int maxServerTransactions,
            Duration retryAfter) {
        this.load = load;
        this.maxDelayMillis = maxDelay.toMillis();
        this.minQueued = minQueued;
        this.maxServerTransactions = maxServerTransactions;
        this.busy = GuardVerdict.refuse(Response.SERVICE_UNAVAILABLE, (int) retryAfter.toSeconds(), "Overloaded");
    }

    @Override
    public GuardVerdict check(SIPRequest request, InetAddress source) {
        if (!startsNewWork(request)) {
            return GuardVerdict.PASS;
        }
        // A retransmission of a request already being routed must not get a 503 beside its real answer.
        GuardVerdict verdict = newWorkVerdict();
        return verdict.passes() || load.inProgress(request) ? GuardVerdict.PASS : verdict;
    }

    @Override
    public GuardVerdict newWorkVerdict() {
        return behind() ? busy : GuardVerdict.PASS;
    }

    private boolean behind() {
        // Once shedding, the queue's length no longer says anything: refused datagrams never enter it (the UDP
        // reader refuses before queuing), so it empties as soon as shedding starts, and letting new work in again
        // then would refill it at the full offered rate. Only a short standing delay ends shedding.
        long delay = load.delayMillis();
        if (delay <= maxDelayMillis) {
            if (shedding) {
                shedding = false;
                log.info("overload over: accepting new calls again (standing delay {} ms)", delay);
            }
        } else if (!shedding) {
            int queued = load.queuedMessages();
            if (queued >= minQueued) {
                shedding = true;
                log.warn("overloaded: refusing new calls with 503 (standing delay {} ms, {} datagrams queued)", delay,
                        queued);
            }
        }
        return shedding || load.serverTransactions() > maxServerTransactions;
    }

    /** An INVITE outside any dialog (no To tag), or a REGISTER. */
    static boolean startsNewWork(SIPRequest request) {
        String method = request.getMethod();
        if (Request.REGISTER.equals(method)) {
            return true;
        }
        return Request.INVITE.equals(method) && request.getToTag() == null;
    }
}
