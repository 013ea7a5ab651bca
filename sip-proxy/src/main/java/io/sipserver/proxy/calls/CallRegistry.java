package io.sipserver.proxy.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live calls by Call-ID. Every way a call ends (BYE, failure, CANCEL, timeout, media timeout, shutdown) goes
 * through {@link #end}, which runs the end listeners (bandwidth release, relay release) exactly once.
 */
public final class CallRegistry {

    private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

    private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
    private final List<BiConsumer<CallRecord, String>> endListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public CallRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Runs {@code listener(call, reason)} once for every call that ends. */
    public void onEnd(BiConsumer<CallRecord, String> listener) {
        endListeners.add(listener);
    }

    /** Starts tracking a call; false when one with this Call-ID is already live (a loop or a duplicate). */
    public boolean start(CallRecord call) {
        return calls.putIfAbsent(call.callId(), call) == null;
    }

    public Optional<CallRecord> find(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    public Collection<CallRecord> list() {
        return List.copyOf(calls.values());
    }

    public int size() {
        return calls.size();
    }

    public void early(String callId) {
        CallRecord c = calls.get(callId);
        if (c != null) {
            c.early();
        }
    }

    public void confirmed(String callId, String toTag, CallLeg calleeLeg) {
        CallRecord c = calls.get(callId);
        if (c != null) {
            c.confirmed(toTag, clock.instant(), calleeLeg);
        }
    }

    /** Ends the call (idempotent) and releases what it held. */
    public void end(String callId, String reason) {
        CallRecord c = calls.remove(callId);
        if (c == null) {
            return;
        }
        log.debug("call {} ended: {}", callId, reason);
        for (BiConsumer<CallRecord, String> l : endListeners) {
            try {
                l.accept(c, reason);
            } catch (RuntimeException e) {
                log.warn("releasing call {} failed", callId, e);
            }
        }
    }

    /**
     * Ends calls that outlived their limits: unanswered ones after {@code earlyLimit} (a lost final response),
     * answered ones that no ACK followed after {@code ackLimit} (the caller never took the answer: a caller that
     * gave up, or a lost 2xx; otherwise nothing would end them before {@code dialogLimit}), confirmed ones after
     * {@code dialogLimit} (a lost BYE). Returns how many ended.
     */
    public int expire(Duration earlyLimit, Duration ackLimit, Duration dialogLimit) {
        Instant now = clock.instant();
        List<String> stale = new ArrayList<>();
        for (CallRecord c : calls.values()) {
            boolean answered = c.state() == CallState.CONFIRMED;
            Instant since = answered ? c.answeredAt() : c.startedAt();
            Duration limit = !answered ? earlyLimit : c.acknowledged() ? dialogLimit : ackLimit;
            if (since != null && since.plus(limit).isBefore(now)) {
                stale.add(c.callId());
            }
        }
        stale.forEach(id -> end(id, "timeout"));
        return stale.size();
    }

    /** Ends every call (shutdown). */
    public void endAll(String reason) {
        for (String id : List.copyOf(calls.keySet())) {
            end(id, reason);
        }
    }
}
