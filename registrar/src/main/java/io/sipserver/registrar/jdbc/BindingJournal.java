package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.BindingChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * The durable log of binding changes, in two tables, its halves ({@link #HALVES}). A group commit appends its
 * changes to one half as one row (or a few, for a huge batch): one statement whatever the number of REGISTERs,
 * where writing each binding's row costs H2 a B-tree update, an undo-log entry and the rewrite of its page.
 * {@link BindingFold} later moves a half's changes into {@code sip_binding} and empties it with {@code TRUNCATE},
 * while appends fill the other half. Row ids ascend across both halves, so the journal reads back in order.
 * Appends come from one thread at a time (the group commit's).
 *
 * <p>An append and every other write here or in {@code sip_binding} ({@link BindingTransaction}) take turns on one
 * lock. H2's MVStore writes, at every commit, every page changed since the last one, an open transaction's included:
 * while a fold of thousands of bindings ran beside the appends, each append's commit serialised the fold's pages
 * again, and REGISTERs waited seconds for their 200s. Taking turns, an append waits at most for one slice of a fold.
 */
final class BindingJournal {

    static final List<String> HALVES = List.of("sip_binding_journal_0", "sip_binding_journal_1");

    private static final List<String> INSERTS = HALVES.stream()
            .map(half -> "INSERT INTO " + half + " (id, changes) VALUES (?, ?)").toList();
    private static final String SELECT = "SELECT id, changes FROM " + HALVES.get(0) + " UNION ALL SELECT id, changes"
            + " FROM " + HALVES.get(1) + " ORDER BY id";

    private final DataSource dataSource;
    private final Lock turns;
    private long lastId;

    /** @param turns shared with the fold's {@link BindingTransaction} */
    BindingJournal(DataSource dataSource, Lock turns) {
        this.dataSource = dataSource;
        this.turns = turns;
    }

    /** Reads both halves, oldest change first; later appends get ids after the last one read. */
    List<BindingChange> readAll() throws SQLException {
        List<BindingChange> changes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                lastId = Math.max(lastId, rows.getLong(1));
                changes.addAll(BindingJournalCodec.decode(rows.getBytes(2)));
            }
        }
        return changes;
    }

    /** Writes the changes into half {@code half} in one transaction. */
    void append(int half, List<BindingChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        List<byte[]> chunks = BindingJournalCodec.encode(changes);
        long first = lastId + 1;
        TurnTakingTransaction.run(dataSource, turns, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERTS.get(half))) {
                for (int i = 0; i < chunks.size(); i++) {
                    insert.setLong(1, first + i);
                    insert.setBytes(2, chunks.get(i));
                    insert.executeUpdate();
                }
            }
        });
        lastId = first + chunks.size() - 1;
    }

    /** Empties half {@code half}, whose changes must all be in {@code sip_binding} or superseded there. */
    void truncate(int half) throws SQLException {
        TurnTakingTransaction.run(dataSource, turns, connection -> {
            try (Statement truncate = connection.createStatement()) {
                truncate.execute("TRUNCATE TABLE " + HALVES.get(half));
            }
        });
    }
}
