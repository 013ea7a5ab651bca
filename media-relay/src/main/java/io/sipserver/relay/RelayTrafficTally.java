package io.sipserver.relay;

import java.util.Collection;

/**
 * Running totals of the relay's traffic, computed when asked from the per-leg statistics: a released session is
 * folded in once, at release, and live ones are read on demand, so the packet path does no extra work for it.
 * Thread-safe; used by signalling threads and metric scrapes, never by an event loop.
 */
public final class RelayTrafficTally {

    private RelayTraffic retired = RelayTraffic.NONE;
    private RelayTraffic lastTotal = RelayTraffic.NONE;

    /** Folds in the final statistics of a session whose sockets are closed (no packet can change them any more). */
    public synchronized void retire(RelaySession session) {
        retired = plus(retired, session);
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
            for (Side side : Side.values()) {
                sum = sum.plus(stream.stats(side));
            }
        }
        return sum;
    }
}
