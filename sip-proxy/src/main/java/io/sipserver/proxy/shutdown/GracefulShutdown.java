package io.sipserver.proxy.shutdown;

import io.sipserver.proxy.calls.CallRecord;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallTerminator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The SIGTERM sequence. Spring stops lifecycle beans, highest phase first, before it destroys any bean; this one
 * has the highest phase, so it runs while the SIP stack, the relay, the database and the admin API are all still up:
 * <ol>
 * <li>refuse new calls and registrations ({@link DrainGuard}); in-dialog requests and responses still pass;</li>
 * <li>wait until no call is live, or the drain period is over;</li>
 * <li>answer the INVITEs still ringing (their branches are cancelled, the caller gets a final response), hang up
 * the calls still up (BYE to both parties) and release their bandwidth and relay ports;</li>
 * <li>close the resources given, in order (relay ports, the registrar's pending writes, the SIP stack).</li>
 * </ol>
 * {@link #stop()} blocks for all of this: Spring's per-phase shutdown timeout only bounds asynchronous stops, so the
 * drain period alone decides how long the wait is.
 */
public final class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final long POLL_MILLIS = 50;

    private final DrainGuard guard;
    private final CallRegistry calls;
    private final CallTerminator terminator;
    private final IntSupplier answerPendingInvites;
    private final Duration drain;
    private final Map<String, AutoCloseable> releases;
    private volatile boolean running;

    /**
     * @param answerPendingInvites answers the forwarded INVITEs without a final response yet, returns how many
     * @param releases what to close once no call is left, by a name for the log, in this order
     */
    public GracefulShutdown(DrainGuard guard, CallRegistry calls, CallTerminator terminator,
            IntSupplier answerPendingInvites, Duration drain, Map<String, AutoCloseable> releases) {
        this.guard = guard;
        this.calls = calls;
        this.terminator = terminator;
        this.answerPendingInvites = answerPendingInvites;
        this.drain = drain;
        this.releases = new LinkedHashMap<>(releases);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        long started = System.nanoTime();
        guard.startDraining();
        log.info("shutting down: refusing new calls and registrations; {} call(s) up, draining for at most {}",
                calls.size(), drain);
        boolean idle = awaitNoCalls(started + drain.toNanos());
        if (idle) {
            log.info("drained: no call up after {} ms", (System.nanoTime() - started) / 1_000_000);
        } else {
            log.info("drain period over: {} unanswered INVITE(s) refused; hanging up {} call(s)",
                    answerPendingInvites.getAsInt(), calls.size());
            for (CallRecord call : calls.list()) {
                terminator.terminate(call.callId(), "shutdown");
            }
        }
        releases.forEach((name, resource) -> {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} on shutdown failed", name, e);
            }
        });
        running = false;
    }

    private boolean awaitNoCalls(long deadlineNanos) {
        while (calls.size() > 0) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the web server's graceful shutdown and long before any bean is destroyed. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
