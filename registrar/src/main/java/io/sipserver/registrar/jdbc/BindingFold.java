package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.BindingChange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Journals binding changes and moves them into {@code sip_binding}, off the REGISTER path. Appends go to one half of
 * the {@link BindingJournal}, and the last change of each binding appended there is kept in memory. Every interval
 * the fold switches appends to the other half, writes the kept changes in slices of {@link #SLICE} (one
 * {@link BindingTransaction} each, paced: {@link #PAUSE_PER_SLICE_TIME}), then empties the half they came from. A
 * binding refreshed many times in an interval is written once. A fold that fails is tried again, whole, at the next
 * interval, before the other half's changes: until then its half keeps them, so nothing acknowledged is lost.
 */
final class BindingFold implements AutoCloseable {

    private record RowKey(String aor, String contactUri) {
        static RowKey of(BindingChange change) {
            return new RowKey(change.aor(), change.contactUri());
        }
    }

    /** Changes on their way into the table, and the journal halves to empty once they are there. */
    private record Folding(Map<RowKey, BindingChange> changes, List<Integer> halves) {
    }

    private static final System.Logger LOG = System.getLogger(BindingFold.class.getName());
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    /** Bindings per transaction: a journal append waits for at most one slice (a few ms). */
    static final int SLICE = 256;
    /**
     * After each slice the timer's fold waits this many times as long as the slice took, so it takes at most a
     * quarter of a core. At full speed a fold of 10,000 bindings took about half a second of CPU in one burst and,
     * at 12,000 REGISTER/s with SIPp on the same two cores, tipped the machine into overload: SIPp dropped
     * responses and its retransmissions piled up for seconds.
     */
    static final int PAUSE_PER_SLICE_TIME = 3;

    private final BindingJournal journal;
    private final BindingTransaction table;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "binding-fold");
        thread.setDaemon(true);
        return thread;
    });
    /** Held for an append and its bookkeeping, so that a switch of halves falls between two appends. */
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the half appends go to. */
    private int active;
    /** Guarded by {@link #lock}: the last change of each binding appended to the active half. */
    private Map<RowKey, BindingChange> pending = new HashMap<>();
    /** Guarded by this: a fold begun and not finished, null when none. */
    private Folding folding;
    /** Set by {@link #close}: a fold under way goes on at full speed. */
    private volatile boolean closing;

    BindingFold(BindingJournal journal, BindingTransaction table, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("fold interval must be positive");
        }
        this.journal = journal;
        this.table = table;
        this.interval = interval;
    }

    /**
     * Before the first append: folds what a previous run left in either half of the journal (a crash, or a fold
     * that failed), in the order it was written, and empties both.
     */
    synchronized void recover() throws SQLException {
        Map<RowKey, BindingChange> left = new HashMap<>();
        for (BindingChange change : journal.readAll()) {
            left.put(RowKey.of(change), change);
        }
        folding = new Folding(left, List.of(0, 1));
        fold();
    }

    /** Folds every interval from now on, on thread {@code binding-fold}. */
    void start() {
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(() -> foldQuietly(true), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Makes the changes durable in the journal; called by one thread at a time (the group commit's). */
    void append(List<BindingChange> changes) throws SQLException {
        synchronized (lock) {
            journal.append(active, changes);
            for (BindingChange change : changes) {
                pending.put(RowKey.of(change), change);
            }
        }
    }

    /** Writes what is journalled into the table now, at full speed. */
    void fold() throws SQLException {
        fold(false);
    }

    /**
     * Writes what is journalled into the table: a fold left unfinished first, then the active half's.
     *
     * @param paced whether to pause after each slice ({@link #PAUSE_PER_SLICE_TIME})
     */
    private synchronized void fold(boolean paced) throws SQLException {
        if (folding != null) {
            finish(paced);
        }
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            folding = new Folding(pending, List.of(active));
            pending = new HashMap<>();
            active = 1 - active;
        }
        finish(paced);
    }

    private void finish(boolean paced) throws SQLException {
        List<BindingChange> changes = new ArrayList<>(folding.changes().values());
        for (int from = 0; from < changes.size(); from += SLICE) {
            long start = System.nanoTime();
            table.write(changes.subList(from, Math.min(from + SLICE, changes.size())));
            if (paced && !closing) {
                LockSupport.parkNanos(PAUSE_PER_SLICE_TIME * (System.nanoTime() - start));
            }
        }
        for (int half : folding.halves()) {
            journal.truncate(half);
        }
        folding = null;
    }

    private void foldQuietly(boolean paced) {
        try {
            fold(paced);
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "folding the binding journal into sip_binding failed; retrying in the"
                    + " next interval, the journal keeps the changes", e);
        }
    }

    /** Stops the timer, then folds what is journalled. Append nothing after this. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        timer.shutdown();
        if (!timer.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.ERROR, "binding fold did not finish within {0} s", CLOSE_TIMEOUT_SECONDS);
        }
        foldQuietly(false);
    }
}
