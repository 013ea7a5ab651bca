package io.sipserver.registrar;

import io.sipserver.config.RegistrarProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The location service: each AOR's bindings as an immutable list in memory, written through to a
 * {@link BindingStore}.
 *
 * <p>Each change of an AOR runs inside {@link ConcurrentHashMap#compute}, which also queues the change for
 * the store: concurrent REGISTERs of one AOR are serialised and reach the store in the order memory saw them,
 * while different AORs proceed in parallel and readers never lock. If the store refuses the change (queue
 * full), memory is left as it was. If the write itself fails, the caller's future fails but memory keeps the
 * change (the client was not told it succeeded; the row is reconciled by its next write or by expiry).
 */
public final class LocationService {

    private final BindingStore store;
    private final RegistrarProperties props;
    private final Clock clock;
    private final ConcurrentHashMap<String, List<Binding>> bindings = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    public LocationService(BindingStore store, RegistrarProperties props, Clock clock) {
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    /** Fills memory from the store (call once at start-up, before traffic); drops expired rows. */
    public void load() {
        Instant now = now();
        Map<Boolean, List<Binding>> byLiveness = store.loadAll().stream()
                .collect(Collectors.partitioningBy(b -> b.isLiveAt(now)));
        byLiveness.get(true).stream()
                .collect(Collectors.groupingBy(Binding::aor))
                .forEach((aor, list) -> {
                    list.sort(Binding.BY_PREFERENCE);
                    bindings.put(aor, List.copyOf(list));
                    count.addAndGet(list.size());
                });
        if (!byLiveness.get(false).isEmpty()) {
            store.apply(removalsOf(byLiveness.get(false))).join();
        }
    }

    /**
     * Applies a REGISTER. Never blocks: rejections and queries complete at once; a change completes when the
     * store has made it durable, or fails (with {@link RejectedExecutionException} when the store is
     * overloaded: answer 503).
     */
    public CompletableFuture<RegisterOutcome> register(RegisterRequest r) {
        Optional<RegisterOutcome> problem = RegisterRequestCheck.problem(r, props);
        if (problem.isPresent()) {
            return CompletableFuture.completedFuture(problem.get());
        }
        if (!r.wildcard() && r.contacts().isEmpty()) {
            return CompletableFuture.completedFuture(new RegisterOutcome.Ok(lookup(r.aor())));
        }
        Instant now = now();
        AtomicReference<CompletableFuture<RegisterOutcome>> outcome = new AtomicReference<>();
        bindings.compute(r.aor(), (aor, current) -> {
            BindingUpdate update = BindingUpdate.of(current == null ? List.of() : current, r, now, props);
            if (update.tooMany() != null) {
                outcome.set(CompletableFuture.completedFuture(update.tooMany()));
                return current;
            }
            RegisterOutcome ok = new RegisterOutcome.Ok(update.bindings());
            if (update.changes().isEmpty()) {
                outcome.set(CompletableFuture.completedFuture(ok));
                return current;
            }
            try {
                outcome.set(store.apply(update.changes()).thenApply(v -> ok));
                return replace(current, update.bindings());
            } catch (RejectedExecutionException e) {
                outcome.set(CompletableFuture.failedFuture(e));
                return current;
            }
        });
        return outcome.get();
    }

    /** The AOR's live bindings, highest q first; lock-free. */
    public List<Binding> lookup(String aor) {
        List<Binding> list = bindings.get(aor);
        if (list == null) {
            return List.of();
        }
        Instant now = clock.instant();
        for (Binding b : list) {
            if (!b.isLiveAt(now)) {
                return list.stream().filter(x -> x.isLiveAt(now)).toList();
            }
        }
        return list;
    }

    /** Every AOR with live bindings, by AOR. */
    public Map<String, List<Binding>> all() {
        Map<String, List<Binding>> result = new TreeMap<>();
        for (String aor : bindings.keySet()) {
            List<Binding> live = lookup(aor);
            if (!live.isEmpty()) {
                result.put(aor, live);
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Removes every binding of the AOR; completes with false at once when it had none, else with true once
     * durable.
     */
    public CompletableFuture<Boolean> remove(String aor) {
        Instant now = now();
        AtomicReference<CompletableFuture<Boolean>> outcome = new AtomicReference<>();
        bindings.compute(aor, (key, current) -> {
            if (current == null) {
                outcome.set(CompletableFuture.completedFuture(false));
                return null;
            }
            boolean hadLive = current.stream().anyMatch(b -> b.isLiveAt(now));
            try {
                outcome.set(store.apply(removalsOf(current)).thenApply(v -> hadLive));
                return replace(current, List.of());
            } catch (RejectedExecutionException e) {
                outcome.set(CompletableFuture.failedFuture(e));
                return current;
            }
        });
        return outcome.get();
    }

    /**
     * Removes expired bindings from memory and queues their deletion; an AOR whose deletion the store refuses
     * now is retried by the next sweep.
     *
     * @return how many bindings were removed
     */
    public int sweep() {
        Instant now = now();
        AtomicInteger removed = new AtomicInteger();
        for (String aor : bindings.keySet()) {
            bindings.computeIfPresent(aor, (key, current) -> {
                List<Binding> expired = current.stream().filter(b -> !b.isLiveAt(now)).toList();
                if (expired.isEmpty()) {
                    return current;
                }
                try {
                    store.apply(removalsOf(expired));
                } catch (RejectedExecutionException e) {
                    return current;
                }
                removed.addAndGet(expired.size());
                return replace(current, current.stream().filter(b -> b.isLiveAt(now)).toList());
            });
        }
        return removed.get();
    }

    /** Bindings held in memory, including expired ones the sweeper has not removed yet. */
    public int bindingCount() {
        return count.get();
    }

    /** Addresses-of-record with bindings in memory (including ones whose bindings have all expired, until swept). */
    public int aorCount() {
        return bindings.size();
    }

    /** Runs inside compute: sets the new list (null when empty, which removes the AOR) and keeps the count. */
    private List<Binding> replace(List<Binding> current, List<Binding> next) {
        count.addAndGet(next.size() - (current == null ? 0 : current.size()));
        return next.isEmpty() ? null : next;
    }

    private static List<BindingChange> removalsOf(List<Binding> list) {
        return list.stream().<BindingChange>map(BindingChange.Remove::of).toList();
    }

    /** Millisecond precision: what the database keeps, so that restored bindings compare equal. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
