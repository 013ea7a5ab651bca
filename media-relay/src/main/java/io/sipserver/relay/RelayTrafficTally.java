package io.sipserver.relay;

import java.util.Collection;

/**
 * Running totals of the relay's traffic, computed when asked from the per-leg statistics: each stream of a released
 * session is folded in once, when it stops counting, and live sessions are read on demand, so the packet path does
 * no extra work for it. Thread-safe: streams are retired by event loops, totals read by metric scrapes.
 */
public final class RelayTrafficTally {

    private RelayTraffic retired = RelayTraffic.NONE;
    private RelayTraffic lastTotal = RelayTraffic.NONE;

    /** Folds in the final statistics of a released session's stream (no packet can change them any more). */
    public synchronized void retire(RelayStream stream) {
        retired = plus(retired, stream);
    }

    /**
     * The totals over the released sessions and {@code live}. Never below an earlier answer: a session being
     * released (gone from the live set, not yet retired) would otherwise make the totals dip for a moment.
     */
    public synchronized RelayTraffic total(Collection<? extends RelaySession> live) {
        RelayTraffic total = retired;
        for (RelaySession session : live) {
            total = plus(total, session);
        }
        lastTotal = total.atLeast(lastTotal);
        return lastTotal;
    }

    private static RelayTraffic plus(RelayTraffic total, RelaySession session) {
        RelayTraffic sum = total;
        for (RelayStream stream : session.streams()) {
            sum = plus(sum, stream);
        }
        return sum;
    }

    private static RelayTraffic plus(RelayTraffic total, RelayStream stream) {
        RelayTraffic sum = total;
        for (Side side : Side.values()) {
            sum = sum.plus(stream.stats(side));
        }
        return sum;
    }
}
