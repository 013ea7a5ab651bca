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

/**
 * Moves journalled binding changes into {@code sip_binding}, off the REGISTER path. It keeps the last journalled
 * change of each binding since the previous fold; every interval it writes them in slices of {@link #SLICE}, one
 * {@link BindingTransaction} each, the last of which also deletes the journal rows they came from. A binding
 * refreshed many times in an interval is written once. A fold that fails keeps the changes it has not written for
 * the next one (newer changes of the same binding win); the journal still holds them meanwhile, so nothing
 * acknowledged is lost.
 */
final class BindingFold implements AutoCloseable {

    private record RowKey(String aor, String contactUri) {
        static RowKey of(BindingChange change) {
            return new RowKey(change.aor(), change.contactUri());
        }
    }

    private static final System.Logger LOG = System.getLogger(BindingFold.class.getName());
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    /** Bindings per transaction: a journal append waits for at most one slice (a few ms). */
    static final int SLICE = 256;

    private final BindingTransaction table;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "binding-fold");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private Map<RowKey, BindingChange> pending = new HashMap<>();
    /** Guarded by {@link #lock}: the journal id of the last change set in {@link #pending}. */
    private long pendingUpTo;

    BindingFold(BindingTransaction table, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("fold interval must be positive");
        }
        this.table = table;
        this.interval = interval;
    }

    /** Folds every interval from now on, on thread {@code binding-fold}. */
    void start() {
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::foldQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Takes changes that the journal holds up to row {@code journalId}; called in journal order. */
    void add(List<BindingChange> changes, long journalId) {
        synchronized (lock) {
            for (BindingChange change : changes) {
                pending.put(RowKey.of(change), change);
            }
            pendingUpTo = journalId;
        }
    }

    /** Writes what is pending into the table now. */
    synchronized void fold() throws SQLException {
        Map<RowKey, BindingChange> batch;
        long upTo;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            upTo = pendingUpTo;
            pending = new HashMap<>();
        }
        List<BindingChange> changes = new ArrayList<>(batch.values());
        for (int from = 0; from < changes.size(); from += SLICE) {
            int to = Math.min(from + SLICE, changes.size());
            try {
                table.write(changes.subList(from, to), to == changes.size() ? upTo : 0);
            } catch (SQLException | RuntimeException e) {
                synchronized (lock) {
                    changes.subList(from, changes.size())
                            .forEach(c -> pending.putIfAbsent(RowKey.of(c), c));
                }
                throw e;
            }
        }
    }

    private void foldQuietly() {
        try {
            fold();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "folding the binding journal into sip_binding failed; retrying in the"
                    + " next interval, the journal keeps the changes", e);
        }
    }

    /** Stops the timer, then folds what is pending. Add nothing after this. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.ERROR, "binding fold did not finish within {0} s", CLOSE_TIMEOUT_SECONDS);
        }
        foldQuietly();
    }
}
