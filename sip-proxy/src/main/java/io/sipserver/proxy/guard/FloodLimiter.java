package io.sipserver.proxy.guard;

import io.sipserver.config.CidrRange;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request rate limit per source address, with a ban table: a source that sends more than {@code maxRequests}
 * within a sliding window is banned for the cool-down, then counted afresh.
 *
 * <p>The window slides by weighting: the count of the previous fixed window, scaled by how much of it still
 * overlaps the sliding one, plus the count of the current fixed window (the estimate Cloudflare and nginx use;
 * exact for a steady rate, never more than one window's worth off). Both counts and the window's index sit in
 * one {@code long}, updated by compare-and-set: no lock, and for an address already tracked no allocation. A
 * ban is logged once, by the thread that sets it.
 */
public final class FloodLimiter {

    private static final Logger log = LoggerFactory.getLogger(FloodLimiter.class);
    private static final int COUNT_MASK = 0xFFFF;

    private final Clock clock;
    private final int maxRequests;
    private final long windowMillis;
    private final long coolDownMillis;
    private final Duration window;
    private final Duration coolDown;
    private final List<CidrRange> exempt;
    private final BoundedTable<InetAddress, Source> sources;
    private final AtomicLong untracked = new AtomicLong();

    /**
     * @param maxRequests requests allowed within one window, at most 65535
     * @param exempt ranges never limited
     * @param maxTracked most addresses tracked at once
     */
    public FloodLimiter(Clock clock, int maxRequests, Duration window, Duration coolDown, List<CidrRange> exempt,
            int maxTracked) {
        if (maxRequests < 1 || maxRequests > COUNT_MASK) {
            throw new IllegalArgumentException("maxRequests must lie in 1.." + COUNT_MASK + ": " + maxRequests);
        }
        this.clock = clock;
        this.maxRequests = maxRequests;
        this.windowMillis = Math.max(1, window.toMillis());
        this.coolDownMillis = coolDown.toMillis();
        this.window = window;
        this.coolDown = coolDown;
        this.exempt = List.copyOf(exempt);
        this.sources = new BoundedTable<>(maxTracked, windowMillis);
    }

    /** Counts one request from {@code source}; false when the source is banned and the request must be dropped. */
    public boolean admit(InetAddress source) {
        long now = clock.millis();
        Source s = sources.getOrCreate(source, now, this::newSource);
        if (s == null) {
            untracked.incrementAndGet();
            return true;
        }
        if (s.exempt) {
            return true;
        }
        long bannedUntil = s.bannedUntil.get();
        if (bannedUntil != 0) {
            if (now < bannedUntil) {
                return false;
            }
            if (s.bannedUntil.compareAndSet(bannedUntil, 0)) {
                s.counts.set(0);
            }
        }
        if (count(s, now) <= maxRequests) {
            return true;
        }
        if (s.bannedUntil.compareAndSet(0, now + coolDownMillis)) {
            log.warn("flood from {}: more than {} requests within {}; its requests are dropped for {}",
                    source.getHostAddress(), maxRequests, window, coolDown);
        }
        return false;
    }

    /** True while {@code source} is banned. */
    public boolean isBanned(InetAddress source) {
        Source s = sources.get(source);
        return s != null && clock.millis() < s.bannedUntil.get();
    }

    /** Addresses tracked now (bounded by the cap). */
    public int trackedAddresses() {
        return sources.size();
    }

    /** Requests let through untracked because the table was full of live entries. */
    public long untrackedRequests() {
        return untracked.get();
    }

    /** Adds this request and returns the sliding-window estimate including it. */
    private long count(Source s, long now) {
        long window = now / windowMillis;
        long elapsed = now - window * windowMillis;
        while (true) {
            long packed = s.counts.get();
            int gap = (int) window - (int) (packed >>> 32);
            int previous;
            int current;
            if (gap == 0) {
                previous = (int) (packed >>> 16) & COUNT_MASK;
                current = (int) packed & COUNT_MASK;
            } else if (gap == 1) {
                previous = (int) packed & COUNT_MASK;
                current = 0;
            } else {
                previous = 0;
                current = 0;
            }
            current = Math.min(current + 1, COUNT_MASK);
            long next = (window << 32) | ((long) previous << 16) | current;
            if (s.counts.compareAndSet(packed, next)) {
                return previous * (windowMillis - elapsed) / windowMillis + current;
            }
        }
    }

    private Source newSource(InetAddress address) {
        byte[] raw = address.getAddress();
        boolean isExempt = exempt.stream().anyMatch(range -> range.contains(raw));
        return new Source(isExempt, windowMillis);
    }

    /** What is known of one source address. */
    private static final class Source implements BoundedTable.Expiring {
        final boolean exempt;
        /** Index of the current fixed window (low 32 bits), previous window's count, current window's count. */
        final AtomicLong counts = new AtomicLong();
        /** Epoch millis the ban ends, 0 when not banned. */
        final AtomicLong bannedUntil = new AtomicLong();
        private final long windowMillis;

        Source(boolean exempt, long windowMillis) {
            this.exempt = exempt;
            this.windowMillis = windowMillis;
        }

        /** Idle: not banned, and nothing counted in this window or the one before (exempt ones cost nothing to redo). */
        @Override
        public boolean idleAt(long nowMillis) {
            if (nowMillis < bannedUntil.get()) {
                return false;
            }
            int gap = (int) (nowMillis / windowMillis) - (int) (counts.get() >>> 32);
            return gap >= 2 || gap < 0 || exempt;
        }
    }
}
