package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.BindingChange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit: callers queue change sets without blocking; one daemon thread takes everything queued (up to
 * a limit) and writes it in one transaction, then completes the callers' futures. Under load a commit carries
 * many REGISTERs, so the commit cost is shared. Commits start at most once per commit interval: a change set that
 * arrives after a quiet spell is written at once, while under load each commit gathers the interval's arrivals
 * instead of as few as came in during the previous commit. Futures complete on the writer thread: dependent
 * actions should be short or run asynchronously.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** Writes the changes, in order, in one transaction. */
    interface Transaction {
        void write(List<BindingChange> changes) throws SQLException;
    }

    private record Pending(List<BindingChange> changes, CompletableFuture<Void> done) {
    }

    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    private static final long POLL_MILLIS = 50;
    private static final long CLOSE_TIMEOUT_MILLIS = 30_000;

    private final BlockingQueue<Pending> queue;
    private final int capacity;
    private final int maxBatch;
    private final long commitIntervalNanos;
    private final Transaction transaction;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param capacity change sets that may wait; more are refused
     * @param maxBatch most change sets per transaction
     * @param commitInterval least time from the start of one commit to the start of the next
     */
    GroupCommitWriter(String threadName, int capacity, int maxBatch, Duration commitInterval,
            Transaction transaction) {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commit interval must not be negative");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.transaction = transaction;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Void> submit(List<BindingChange> changes) {
        if (closed) {
            throw new RejectedExecutionException("binding store is closed");
        }
        Pending pending = new Pending(List.copyOf(changes), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new RejectedExecutionException("binding write queue is full (" + capacity + " pending)");
        }
        // Closed meanwhile and not yet taken: close() may already have flushed, so refuse it.
        if (closed && queue.remove(pending)) {
            throw new RejectedExecutionException("binding store is closed");
        }
        return pending.done();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        long lastCommitStart = System.nanoTime() - commitIntervalNanos;
        while (!closed || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first != null) {
                long early = lastCommitStart + commitIntervalNanos - System.nanoTime();
                if (early > 0 && !closed) {
                    LockSupport.parkNanos(early);
                }
                lastCommitStart = System.nanoTime();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<BindingChange> changes = new ArrayList<>();
        batch.forEach(p -> changes.addAll(p.changes()));
        try {
            transaction.write(changes);
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "writing " + changes.size() + " binding changes failed", e);
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        batch.forEach(p -> p.done().complete(null));
    }

    /** Stops taking work, writes what is queued, and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(CLOSE_TIMEOUT_MILLIS);
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.ERROR, "binding writer did not finish within {0} ms", CLOSE_TIMEOUT_MILLIS);
            return;
        }
        // Change sets that raced with close() after the writer's last look at the queue.
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            commit(rest);
        }
    }
}
