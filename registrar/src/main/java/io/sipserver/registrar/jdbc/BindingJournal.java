package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.BindingChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * The durable log of binding changes, {@code sip_binding_journal}. A group commit appends its changes as one
 * row (or a few, for a huge batch) with ascending ids: one statement whatever the number of REGISTERs, where
 * writing each binding's row costs H2 a B-tree update, an undo-log entry and the rewrite of its page.
 * {@link BindingFold} later moves the changes into {@code sip_binding}. Appends come from one thread at a time
 * (the group commit's).
 *
 * <p>An append and a slice of the fold ({@link BindingTransaction}) take turns on one lock. H2's MVStore writes, at
 * every commit, every page changed since the last one, an open transaction's included: while a fold of thousands of
 * bindings ran beside the appends, each append's commit serialised the fold's pages again, and REGISTERs waited
 * seconds for their 200s. Taking turns, an append waits at most for one slice.
 */
final class BindingJournal {

    /** What the journal holds: its changes in order, and the id of its last row (0 when empty). */
    record Contents(List<BindingChange> changes, long lastId) {
    }

    private static final String INSERT = "INSERT INTO sip_binding_journal (id, changes) VALUES (?, ?)";
    private static final String SELECT = "SELECT id, changes FROM sip_binding_journal ORDER BY id";

    private final DataSource dataSource;
    private final Lock turns;
    private long lastId;

    /**
     * @param lastId the id of the journal's last row, 0 when it is empty
     * @param turns shared with the fold's {@link BindingTransaction}
     */
    BindingJournal(DataSource dataSource, long lastId, Lock turns) {
        this.dataSource = dataSource;
        this.lastId = lastId;
        this.turns = turns;
    }

    /**
     * Writes the changes in one transaction.
     *
     * @return the id of the last row written, which covers these changes and every earlier one
     */
    long append(List<BindingChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return lastId;
        }
        List<byte[]> chunks = BindingJournalCodec.encode(changes);
        long first = lastId + 1;
        TurnTakingTransaction.run(dataSource, turns, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < chunks.size(); i++) {
                    insert.setLong(1, first + i);
                    insert.setBytes(2, chunks.get(i));
                    insert.executeUpdate();
                }
            }
        });
        lastId = first + chunks.size() - 1;
        return lastId;
    }

    /** Reads the whole journal, oldest change first. */
    static Contents read(DataSource dataSource) throws SQLException {
        List<BindingChange> changes = new ArrayList<>();
        long lastId = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                lastId = rows.getLong(1);
                changes.addAll(BindingJournalCodec.decode(rows.getBytes(2)));
            }
        }
        return new Contents(changes, lastId);
    }
}
