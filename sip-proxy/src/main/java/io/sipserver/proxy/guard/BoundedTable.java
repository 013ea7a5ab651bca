package io.sipserver.proxy.guard;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A concurrent map with a cap on its size, for per-source state that an attacker can make grow (a scanner
 * spraying from many addresses). A new key finds room, or entries idle at that moment are swept out; the sweep
 * walks the whole table, so it runs at most once per {@code minSweepIntervalMillis}, and a key that still finds
 * no room is not tracked.
 *
 * @param <K> key, with cheap equals/hashCode (looking up a known key allocates nothing)
 * @param <V> per-key state
 */
final class BoundedTable<K, V extends BoundedTable.Expiring> {

    /** State that can tell when it is no longer worth keeping. */
    interface Expiring {
        boolean idleAt(long nowMillis);
    }

    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final long minSweepIntervalMillis;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    BoundedTable(int capacity, long minSweepIntervalMillis) {
        this.capacity = capacity;
        this.minSweepIntervalMillis = minSweepIntervalMillis;
    }

    V get(K key) {
        return entries.get(key);
    }

    /** The key's entry, created if there is room; null when the table is full of live entries. */
    V getOrCreate(K key, long nowMillis, Function<? super K, ? extends V> create) {
        V known = entries.get(key);
        if (known != null) {
            return known;
        }
        if (entries.size() >= capacity && !sweep(nowMillis)) {
            return null;
        }
        return entries.computeIfAbsent(key, create);
    }

    /** Removes idle entries unless a sweep ran recently; true when there is room afterwards. */
    boolean sweep(long nowMillis) {
        long last = lastSweep.get();
        if (nowMillis - last >= minSweepIntervalMillis && lastSweep.compareAndSet(last, nowMillis)) {
            entries.values().removeIf(e -> e.idleAt(nowMillis));
        }
        return entries.size() < capacity;
    }

    int size() {
        return entries.size();
    }
}
