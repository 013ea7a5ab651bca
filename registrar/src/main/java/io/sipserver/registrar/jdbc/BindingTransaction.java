package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One group commit of binding changes: a batch of upserts, then a batch of deletes, in one transaction. The last
 * change of each row wins, so the two batches touch distinct rows and their order cannot matter. The upsert is H2's
 * {@code MERGE INTO ... KEY}: nearly every change refreshes an existing row, which it writes in one step (measured
 * with H2 2.4.240 in a file, alternating rounds of 10,000 refreshes in one JVM: 14.6 against 17.6 CPU-us per change
 * for DELETE + INSERT in commits of 50, 23.6 against 26.9 in commits of 10).
 */
final class BindingTransaction implements GroupCommitWriter.Transaction {

    private static final String DELETE = "DELETE FROM sip_binding WHERE aor = ? AND contact_uri = ?";
    private static final String UPSERT = "MERGE INTO sip_binding (aor, contact_uri, expires_at, q, call_id, cseq,"
            + " source_host, source_port, transport, user_agent, updated_at) KEY (aor, contact_uri)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private record RowKey(String aor, String contactUri) {
    }

    private final DataSource dataSource;

    BindingTransaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void write(List<BindingChange> changes) throws SQLException {
        Map<RowKey, BindingChange> lastPerRow = new LinkedHashMap<>();
        changes.forEach(c -> lastPerRow.put(new RowKey(c.aor(), c.contactUri()), c));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT);
                    PreparedStatement delete = connection.prepareStatement(DELETE)) {
                boolean anyUpsert = false;
                boolean anyDelete = false;
                for (BindingChange change : lastPerRow.values()) {
                    if (change instanceof BindingChange.Put put) {
                        bind(upsert, put.binding());
                        upsert.addBatch();
                        anyUpsert = true;
                    } else {
                        delete.setString(1, change.aor());
                        delete.setString(2, change.contactUri());
                        delete.addBatch();
                        anyDelete = true;
                    }
                }
                if (anyUpsert) {
                    upsert.executeBatch();
                }
                if (anyDelete) {
                    delete.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void bind(PreparedStatement upsert, Binding b) throws SQLException {
        upsert.setString(1, b.aor());
        upsert.setString(2, b.contactUri());
        upsert.setObject(3, utc(b.expiresAt()));
        upsert.setDouble(4, b.q());
        upsert.setString(5, b.callId());
        upsert.setLong(6, b.cseq());
        upsert.setString(7, b.sourceHost());
        upsert.setInt(8, b.sourcePort());
        upsert.setString(9, b.transport());
        if (b.userAgent() == null) {
            upsert.setNull(10, Types.VARCHAR);
        } else {
            upsert.setString(10, b.userAgent());
        }
        upsert.setObject(11, utc(b.updatedAt()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
