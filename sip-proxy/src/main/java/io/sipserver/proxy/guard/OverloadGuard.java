package io.sipserver.proxy.guard;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.NewWorkGuard;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses part of the new work when the server is behind, so that work already accepted completes (RFC 6357), and
 * admits as much as the server gets through. The server is behind when the receive queue is long and even the
 * quickest new requests of the last 250 ms took too long from arrival until processed (a standing delay, not a
 * passing pause). From then on new INVITEs and REGISTERs are admitted at a rate that is set every
 * {@link #ADJUST_MILLIS} from what the workers did: the rate at which they finished new requests, lowered while
 * more than half of {@code maxDelay}'s worth of new requests wait, raised while fewer do and the standing delay is
 * short (see {@link #nextRate}). The rest get 503 with Retry-After at once, and so does all new work while the
 * server transaction table is above its bound. Admitting everything again waits for a second of adjustments that
 * refused nothing with a short delay, or for a spell without new requests. Everything that belongs to calls in
 * progress (ACK, BYE, CANCEL, re-INVITEs, responses) passes, and is served before new requests (see
 * {@code UdpReceiveQueue}), so new work is what waits when the server is behind.
 * <p>
 * Admitting at the rate the server finishes, rather than refusing everything until the delay is short (as before),
 * keeps the server busy: refusing everything emptied the queue and left the workers idle for new work for at least
 * two measuring intervals (0.5 s) at a time, then let the whole offered load in at once.
 * <p>
 * Starting to refuse is logged as a warning, ending as info, each rate at debug. Over UDP the reader thread refuses
 * from the datagram's bytes before anything is parsed (see {@link NewWorkGuard}), so a refusal costs a scan and one
 * datagram, far less than routing a request.
 */
public final class OverloadGuard implements NewWorkGuard {

    /** What the guard reads off the running stack. */
    public interface Load {
        /** Standing delay: the shortest time a new request took from arrival until processed, lately, in ms. */
        long delayMillis();

        /** Messages waiting for a worker now. */
        int queuedMessages();

        /** New requests waiting for a worker now. */
        int queuedNewWork();

        /** New requests the workers finished per second, lately. */
        double newWorkDonePerSecond();

        /** Live server transactions. */
        int serverTransactions();

        /** Whether the request being processed on the calling thread was admitted already, by a UDP reader. */
        boolean admittedUnparsed();

        /** Whether the request is a retransmission of one the stack is already handling. */
        boolean inProgress(SIPRequest request);
    }

    /** How often the admitted rate is set: once per measuring interval of the standing delay. */
    static final long ADJUST_MILLIS = 250;
    /** Never less than this share of what the workers finish, however long the queue: it drains meanwhile. */
    private static final double MIN_SHARE = 0.5;
    /** A backlog of new requests beyond the target is worked off over this long, in milliseconds. */
    static final long DRAIN_MILLIS = 2 * ADJUST_MILLIS;
    /** While the workers keep up, the admitted rate grows by this factor per adjustment... */
    private static final double GROWTH = 1.15;
    /**
     * ...up to this multiple of what they finished: a rate far above what was offered would end in a burst of
     * everything when offered load rises again.
     */
    private static final double HEADROOM = 1.25;
    /**
     * Adjustments in a row that refuse nothing with a short delay before everything is admitted again (a second):
     * one such adjustment is often a lull in what clients send, and admitting everything then let a backlog build
     * that delayed calls beyond their retransmission timers.
     */
    private static final int QUIET_TO_END = 4;
    /**
     * How much of the admitted rate that went unused may still be used at once, in nanoseconds: clients send in
     * bursts (SIPp every few milliseconds), and a rate that only admits evenly spaced requests admits less.
     */
    static final long BURST_NANOS = 20_000_000;
    /** Rate when nothing was finished lately, per second: enough for the measure to come back. */
    private static final double FLOOR_PER_SECOND = 20;

    private static final Logger log = LoggerFactory.getLogger(OverloadGuard.class);

    private final Load load;
    private final LongSupplier nanoClock;
    private final long maxDelayMillis;
    private final int minQueued;
    private final int maxServerTransactions;
    private final GuardVerdict busy;

    /** Whether new work is rate limited; written only in {@link #adjust}. */
    private volatile boolean limiting;
    /** New requests finished per second, averaged over the last adjustments; only {@link #adjust} uses it. */
    private double finishedPerSecond;
    /** Adjustments in a row, while limiting, that refused nothing with a short delay; only {@link #adjust} uses it. */
    private int quietAdjustments;
    /** Admitted rate while limiting, per second; written only in {@link #adjust}. */
    private volatile double admittedPerSecond;
    /** Nanoseconds between two admissions while limiting; written only in {@link #adjust}. */
    private volatile long spacingNanos;
    /** The earliest time, in the clock's nanoseconds, of the next admission once the burst is used up. */
    private final AtomicLong nextAdmission = new AtomicLong();
    /** When the rate is set next, in the clock's nanoseconds; the thread that moves it on adjusts. */
    private final AtomicLong nextAdjustment = new AtomicLong();
    /** Refusals since the last adjustment (rate only, not the transaction bound); read and reset in adjust. */
    private final AtomicLong refusedLately = new AtomicLong();

    public OverloadGuard(Load load, Duration maxDelay, int minQueued, int maxServerTransactions,
            Duration retryAfter) {
        this(load, maxDelay, minQueued, maxServerTransactions, retryAfter, System::nanoTime);
    }

    /** {@code nanoClock}: nanoseconds, monotonic. */
    OverloadGuard(Load load, Duration maxDelay, int minQueued, int maxServerTransactions, Duration retryAfter,
            LongSupplier nanoClock) {
        this.load = load;
        this.nanoClock = nanoClock;
        this.maxDelayMillis = maxDelay.toMillis();
        this.minQueued = minQueued;
        this.maxServerTransactions = maxServerTransactions;
        this.busy = GuardVerdict.refuse(Response.SERVICE_UNAVAILABLE, (int) retryAfter.toSeconds(), "Overloaded");
        nextAdjustment.set(nanoClock.getAsLong());
    }

    @Override
    public GuardVerdict check(SIPRequest request, InetAddress source) {
        // Admitting uses up the rate: what a UDP reader admitted must not be counted twice.
        if (!startsNewWork(request) || load.admittedUnparsed()) {
            return GuardVerdict.PASS;
        }
        // A retransmission of a request already being routed must not get a 503 beside its real answer.
        GuardVerdict verdict = newWorkVerdict();
        return verdict.passes() || load.inProgress(request) ? GuardVerdict.PASS : verdict;
    }

    @Override
    public GuardVerdict newWorkVerdict() {
        long now = nanoClock.getAsLong();
        long due = nextAdjustment.get();
        if (now - due >= 0 && nextAdjustment.compareAndSet(due, now + ADJUST_MILLIS * 1_000_000)) {
            adjust(now, now - due >= ADJUST_MILLIS * 1_000_000);
        }
        if (load.serverTransactions() > maxServerTransactions) {
            return busy;
        }
        if (!limiting || admitted(now)) {
            return GuardVerdict.PASS;
        }
        refusedLately.incrementAndGet();
        return busy;
    }

    /** Whether a request arriving {@code now} fits the admitted rate, which it then uses up. */
    private boolean admitted(long now) {
        long spacing = spacingNanos;
        while (true) {
            long next = nextAdmission.get();
            long earliest = now - BURST_NANOS;
            if (next - now > 0) {
                return false;
            }
            if (nextAdmission.compareAndSet(next, Math.max(next, earliest) + spacing)) {
                return true;
            }
        }
    }

    /** Whether new work is rate limited now. */
    boolean limiting() {
        return limiting;
    }

    /** The admitted rate while limiting, per second. */
    double admittedPerSecond() {
        return admittedPerSecond;
    }

    /**
     * Sets the admitted rate; only the thread that moved {@link #nextAdjustment} on gets here, {@code afterQuietSpell}
     * when no new request came since the adjustment was due. Synchronized for the fields only it uses: the next
     * adjustment may run on another thread.
     */
    private synchronized void adjust(long now, boolean afterQuietSpell) {
        long delay = load.delayMillis();
        long refused = refusedLately.getAndSet(0);
        if (limiting && afterQuietSpell) {
            // No new request came for at least an adjustment: nothing says the server is behind, and the rate of
            // what it finished meanwhile says nothing about what it could do.
            limiting = false;
            log.info("overload over: accepting all new calls again (no new requests for {} ms or more)",
                    ADJUST_MILLIS);
        }
        if (!limiting) {
            int queued = load.queuedMessages();
            if (delay <= maxDelayMillis || queued < minQueued) {
                return;
            }
            finishedPerSecond = load.newWorkDonePerSecond();
            double rate = nextRate(delay, finishedPerSecond, load.queuedNewWork(), finishedPerSecond);
            setRate(rate, now);
            quietAdjustments = 0;
            limiting = true;
            log.warn("overloaded: refusing new calls with 503 beyond {} per second (standing delay {} ms, {} "
                    + "datagrams queued)", Math.round(rate), delay, queued);
            return;
        }
        quietAdjustments = refused == 0 && delay <= maxDelayMillis ? quietAdjustments + 1 : 0;
        if (quietAdjustments >= QUIET_TO_END) {
            limiting = false;
            log.info("overload over: accepting all new calls again (standing delay {} ms)", delay);
            return;
        }
        // Averaged: a single interval's count swings with collection pauses and with backlogs worked off.
        finishedPerSecond = (finishedPerSecond + load.newWorkDonePerSecond()) / 2;
        double rate = nextRate(delay, finishedPerSecond, load.queuedNewWork(), admittedPerSecond);
        setRate(rate, now);
        if (log.isDebugEnabled()) {
            log.debug("admitting {} new requests per second (standing delay {} ms, {} refused since the last "
                    + "adjustment)", Math.round(rate), delay, refused);
        }
    }

    /**
     * The rate to admit next, per second, from the standing delay, the rate at which the workers finished new
     * requests lately, the new requests waiting and the rate admitted so far. More waiting than half of
     * {@code maxDelay}'s worth means the workers are behind: admit what they finished, less what brings the excess
     * down within {@link #DRAIN_MILLIS}. Fewer, with a standing delay still above {@code maxDelay}, means the
     * workers are slow with what they have: admit no more than they finished. Otherwise they could take more than
     * they were given: raise the rate, up to a little more than they finished.
     */
    double nextRate(long delay, double donePerSecond, int queuedNew, double current) {
        double target = donePerSecond * maxDelayMillis / 2000.0;
        double least = Math.max(FLOOR_PER_SECOND, donePerSecond * MIN_SHARE);
        if (queuedNew > target) {
            return Math.max(least, donePerSecond - (queuedNew - target) * 1000.0 / DRAIN_MILLIS);
        }
        if (delay > maxDelayMillis) {
            return Math.max(least, Math.min(current, donePerSecond));
        }
        return Math.max(least, Math.min(Math.max(current, least) * GROWTH, donePerSecond * HEADROOM));
    }

    private void setRate(double perSecond, long now) {
        admittedPerSecond = perSecond;
        spacingNanos = (long) (1e9 / perSecond);
        if (!limiting) {
            nextAdmission.set(now);
        }
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
