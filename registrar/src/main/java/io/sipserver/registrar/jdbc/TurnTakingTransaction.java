package io.sipserver.registrar.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * One JDBC transaction, run while holding the lock that journal appends and fold slices share (why they take
 * turns: {@link BindingJournal}). Commits when the work returns, rolls back when it throws.
 */
final class TurnTakingTransaction {

    /** The statements of the transaction. */
    interface Work {
        void run(Connection connection) throws SQLException;
    }

    private TurnTakingTransaction() {
    }

    static void run(DataSource dataSource, Lock turns, Work work) throws SQLException {
        turns.lock();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } finally {
            turns.unlock();
        }
    }
}
