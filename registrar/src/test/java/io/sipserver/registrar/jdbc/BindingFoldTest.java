package io.sipserver.registrar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal and its fold into {@code sip_binding}, on H2 in a file: the last change of a binding wins, folded
 * rows leave the journal, a failed fold loses nothing, and a store opened on a journal that was never folded (a
 * crash) folds it before it loads.
 */
class BindingFoldTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dir;

    private final Lock turns = new ReentrantLock();

    @Test
    void theLastChangeOfEachBindingReachesTheTableAndTheFoldedJournalRowsGo() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding phoneRefreshed = binding("sip:alice@198.51.100.1", 2);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        try (HikariDataSource db = H2Files.open(dir)) {
            BindingJournal journal = new BindingJournal(db, 0, turns);
            BindingFold fold = new BindingFold(new BindingTransaction(db, turns), NEVER);
            List<BindingChange> first = List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop));
            append(journal, fold, first);
            List<BindingChange> second = List.of(new BindingChange.Remove(laptop.aor(), laptop.contactUri()),
                    new BindingChange.Put(phoneRefreshed));
            append(journal, fold, second);
            assertThat(journalRows(db)).isEqualTo(2);

            fold.fold();

            assertThat(new JdbcTemplate(db).queryForList("SELECT contact_uri || ' ' || cseq FROM sip_binding",
                    String.class)).containsExactly("sip:alice@198.51.100.1 2");
            assertThat(journalRows(db)).isZero();
            List<BindingChange> third = List.of(new BindingChange.Put(laptop));
            append(journal, fold, third);
            fold.fold();
            assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding", Integer.class))
                    .isEqualTo(2);
            fold.close();
        }
    }

    @Test
    void aFoldOfManySlicesWritesEveryBindingAndEmptiesTheJournalOnlyAtItsEnd() throws Exception {
        List<BindingChange> changes = new ArrayList<>();
        for (int i = 0; i < 3 * BindingFold.SLICE + 7; i++) {
            changes.add(new BindingChange.Put(binding("sip:alice@198.51.100." + (i % 250) + ":" + (5000 + i), 1)));
        }
        try (HikariDataSource db = H2Files.open(dir)) {
            BindingJournal journal = new BindingJournal(db, 0, turns);
            BindingFold fold = new BindingFold(new BindingTransaction(db, turns), NEVER);
            append(journal, fold, changes);

            fold.fold();

            assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding", Integer.class))
                    .isEqualTo(changes.size());
            assertThat(journalRows(db)).isZero();
            fold.close();
        }
    }

    @Test
    void aFailedFoldKeepsItsChangesAndNewerOnesWin() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        Binding laptopRefreshed = binding("sip:alice@198.51.100.2", 2);
        try (HikariDataSource db = H2Files.open(dir)) {
            JdbcTemplate sql = new JdbcTemplate(db);
            BindingJournal journal = new BindingJournal(db, 0, turns);
            BindingFold fold = new BindingFold(new BindingTransaction(db, turns), NEVER);
            List<BindingChange> first = List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop));
            append(journal, fold, first);
            sql.execute("ALTER TABLE sip_binding RENAME TO sip_binding_away");

            assertThatThrownBy(fold::fold).isInstanceOf(SQLException.class);

            List<BindingChange> second = List.of(new BindingChange.Put(laptopRefreshed));
            append(journal, fold, second);
            sql.execute("ALTER TABLE sip_binding_away RENAME TO sip_binding");
            fold.fold();
            assertThat(sql.queryForList("SELECT contact_uri || ' ' || cseq FROM sip_binding ORDER BY contact_uri",
                    String.class)).containsExactly("sip:alice@198.51.100.1 1", "sip:alice@198.51.100.2 2");
            assertThat(journalRows(db)).isZero();
            fold.close();
        }
    }

    @Test
    void openingTheStoreFoldsWhatAnUnfoldedJournalHolds() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        try (HikariDataSource db = H2Files.open(dir)) {
            // What a crashed server leaves: changes acknowledged from the journal, never folded.
            BindingJournal journal = new BindingJournal(db, 0, turns);
            journal.append(List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop)));
            journal.append(List.of(new BindingChange.Remove(laptop.aor(), laptop.contactUri())));

            try (JdbcBindingStore store = new JdbcBindingStore(db, 16, 16, Duration.ZERO, NEVER)) {
                assertThat(store.loadAll()).containsExactly(phone);
                assertThat(journalRows(db)).isZero();

                store.apply(List.of(new BindingChange.Put(laptop))).join();
                assertThat(journalRows(db)).as("acknowledged from the journal").isEqualTo(1);
                assertThat(store.loadAll()).containsExactly(phone);
            }
            assertThat(journalRows(db)).as("closing folds").isZero();
            assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding", Integer.class))
                    .isEqualTo(2);
        }
    }

    @Test
    void aJournalTheStoreCannotReadStopsItFromOpening() throws Exception {
        try (HikariDataSource db = H2Files.open(dir)) {
            new JdbcTemplate(db).update("INSERT INTO sip_binding_journal (id, changes) VALUES (1, ?)",
                    (Object) new byte[] {9, 1, 2});

            assertThatThrownBy(() -> new JdbcBindingStore(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sip_binding_journal").hasMessageContaining("format version 9");
        }
    }

    /** What the store's group commit does with each batch. */
    private static void append(BindingJournal journal, BindingFold fold, List<BindingChange> changes)
            throws SQLException {
        fold.add(changes, journal.append(changes));
    }

    private static int journalRows(HikariDataSource db) {
        return new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding_journal", Integer.class);
    }

    private static Binding binding(String uri, long cseq) {
        return new Binding("sip:alice@example.com", uri, NOW.plusSeconds(600), 1f, "c1", cseq, "198.51.100.9", 5060,
                "UDP", null, NOW);
    }
}
