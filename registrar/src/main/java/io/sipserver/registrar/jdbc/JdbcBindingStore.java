package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import io.sipserver.registrar.BindingStore;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bindings in table {@code sip_binding}, written by group commit ({@link GroupCommitWriter}). A future
 * completes after the commit that contains its changes: with H2 in a file and {@code WRITE_DELAY=0} the
 * commit has reached the operating system by then, so it survives {@code kill -9} of the server.
 * Close it on shutdown to flush what is queued.
 */
public final class JdbcBindingStore implements BindingStore, AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;
    public static final int DEFAULT_MAX_BATCH = 2_048;
    /**
     * At most 100 commits a second: each commit of H2's MVStore rewrites every page it touched, a whole leaf of
     * rows for each changed row, so a commit of a few changes costs nearly as much as one of dozens. Refreshing
     * 10,000 AORs at 4,000/s, the writer spent 172-188 CPU-us per refresh committing as soon as it could and 33-46
     * with this interval (24-28 with 20 ms; {@code GroupCommitCpuBenchmark}). A REGISTER waits at most this much longer
     * for its 200.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);

    private final JdbcTemplate jdbc;
    private final GroupCommitWriter writer;

    public JdbcBindingStore(DataSource dataSource) {
        this(dataSource, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH, DEFAULT_COMMIT_INTERVAL);
    }

    /**
     * @param queueCapacity change sets (one per REGISTER) that may wait for the writer; more are refused
     * @param maxBatch most change sets written in one transaction
     * @param commitInterval least time between the starts of two commits
     */
    public JdbcBindingStore(DataSource dataSource, int queueCapacity, int maxBatch, Duration commitInterval) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.writer = new GroupCommitWriter("binding-writer", queueCapacity, maxBatch, commitInterval,
                new BindingTransaction(dataSource));
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

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() throws InterruptedException {
        writer.close();
    }
}
