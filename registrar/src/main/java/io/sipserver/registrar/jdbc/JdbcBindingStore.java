package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import io.sipserver.registrar.BindingStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bindings in table {@code sip_binding}. A change is made durable by group commit ({@link GroupCommitWriter}) into
 * the journal ({@link BindingJournal}), and a future completes after the commit that contains its changes: with H2
 * in a file and {@code WRITE_DELAY=0} the commit has reached the operating system by then, so it survives
 * {@code kill -9} of the server. {@link BindingFold} moves journalled changes into {@code sip_binding} in the
 * background; opening the store first folds whatever a previous run left in the journal, so {@link #loadAll()}
 * reads the table alone. Close it on shutdown to flush what is queued.
 */
public final class JdbcBindingStore implements BindingStore, AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;
    public static final int DEFAULT_MAX_BATCH = 2_048;
    /**
     * At most 100 commits a second: each commit of H2's MVStore rewrites every page it touched and its own
     * metadata, so a commit of a few changes costs nearly as much as one of dozens. Refreshing 10,000 AORs at
     * 4,000/s, when each commit still MERGEd its rows into {@code sip_binding}, the writer spent 172-188 CPU-us per
     * refresh committing as soon as it could and 33-46 with this interval (24-28 with 20 ms). A REGISTER waits at
     * most this much longer for its 200.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);
    /**
     * Refreshing 10,000 AORs at 10,000/s, writer plus fold CPU per refresh: 6.6-7.0 + 0.7-0.9 us with 30 s, 8.2-9.1 +
     * 3.6-4.1 us with 10 s ({@code GroupCommitCpuBenchmark}, journal in halves, two runs each). Start-up replays up
     * to this much of the journal.
     */
    public static final Duration DEFAULT_FOLD_INTERVAL = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final BindingFold fold;
    private final GroupCommitWriter writer;

    public JdbcBindingStore(DataSource dataSource) {
        this(dataSource, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH, DEFAULT_COMMIT_INTERVAL, DEFAULT_FOLD_INTERVAL);
    }

    /**
     * Folds what the journal holds into {@code sip_binding}, then starts the writer and the fold.
     *
     * @param queueCapacity change sets (one per REGISTER) that may wait for the writer; more are refused
     * @param maxBatch most change sets written in one transaction
     * @param commitInterval least time between the starts of two commits
     * @param foldInterval time between two folds of the journal into {@code sip_binding}
     * @throws IllegalStateException when the journal cannot be read or folded: starting without it would lose
     *     acknowledged bindings
     */
    public JdbcBindingStore(DataSource dataSource, int queueCapacity, int maxBatch, Duration commitInterval,
            Duration foldInterval) {
        this.jdbc = new JdbcTemplate(dataSource);
        // Fair: the fold takes the lock again right after each slice, and a barging lock would let it run every
        // slice of a fold while the writer, and every REGISTER's 200, waited.
        Lock turns = new ReentrantLock(true);
        BindingJournal journal = new BindingJournal(dataSource, turns);
        this.fold = new BindingFold(journal, new BindingTransaction(dataSource, turns), foldInterval);
        try {
            fold.recover();
        } catch (SQLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot fold the binding journal (" + String.join(", ",
                    BindingJournal.HALVES) + ") into sip_binding: " + e.getMessage(), e);
        }
        fold.start();
        this.writer = new GroupCommitWriter("binding-writer", queueCapacity, maxBatch, commitInterval, fold::append);
    }

    @Override
    public CompletableFuture<Void> apply(List<BindingChange> changes) {
        return writer.submit(changes);
    }

    @Override
    public List<Binding> loadAll() {
        return jdbc.query("SELECT aor, contact_uri, expires_at, q, call_id, cseq, source_host, source_port,"
                + " transport, user_agent, updated_at FROM sip_binding", (rs, row) -> new Binding(
                        rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                        (float) rs.getDouble(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getInt(8),
                        rs.getString(9), rs.getString(10), rs.getObject(11, OffsetDateTime.class).toInstant()));
    }

    /** Writes what is queued, then stops the writer thread, then folds the journal into the table. */
    @Override
    public void close() throws InterruptedException {
        writer.close();
        fold.close();
    }
}
