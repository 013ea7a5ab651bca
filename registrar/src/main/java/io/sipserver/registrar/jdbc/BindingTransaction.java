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
 * One group commit of binding changes: a batch of deletes, then a batch of inserts, in one transaction. The
 * last change of each row wins, so the two batches touch distinct rows and their order cannot matter. Plain
 * DELETE + INSERT is an upsert that H2 and PostgreSQL both accept.
 */
final class BindingTransaction implements GroupCommitWriter.Transaction {

    private static final String DELETE = "DELETE FROM sip_binding WHERE aor = ? AND contact_uri = ?";
    private static final String INSERT = "INSERT INTO sip_binding (aor, contact_uri, expires_at, q, call_id, cseq,"
            + " source_host, source_port, transport, user_agent, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
            try (PreparedStatement delete = connection.prepareStatement(DELETE);
                    PreparedStatement insert = connection.prepareStatement(INSERT)) {
                boolean anyInsert = false;
                for (BindingChange change : lastPerRow.values()) {
                    delete.setString(1, change.aor());
                    delete.setString(2, change.contactUri());
                    delete.addBatch();
                    if (change instanceof BindingChange.Put put) {
                        bind(insert, put.binding());
                        insert.addBatch();
                        anyInsert = true;
                    }
                }
                delete.executeBatch();
                if (anyInsert) {
                    insert.executeBatch();
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

    private static void bind(PreparedStatement insert, Binding b) throws SQLException {
        insert.setString(1, b.aor());
        insert.setString(2, b.contactUri());
        insert.setObject(3, utc(b.expiresAt()));
        insert.setDouble(4, b.q());
        insert.setString(5, b.callId());
        insert.setLong(6, b.cseq());
        insert.setString(7, b.sourceHost());
        insert.setInt(8, b.sourcePort());
        insert.setString(9, b.transport());
        if (b.userAgent() == null) {
            insert.setNull(10, Types.VARCHAR);
        } else {
            insert.setString(10, b.userAgent());
        }
        insert.setObject(11, utc(b.updatedAt()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
