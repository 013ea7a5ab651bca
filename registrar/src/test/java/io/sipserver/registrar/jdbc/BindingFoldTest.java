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
 * The journal and its fold into {@code sip_binding}, on H2 in a file: the last change of a binding wins, a folded
 * half of the journal is emptied while appends fill the other, a failed fold loses nothing, and a store opened on a
 * journal that was never folded (a crash, or an upgrade from the single journal table) folds it, in the order it
 * was written, before it loads.
 */
class BindingFoldTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dir;

    private final Lock turns = new ReentrantLock();

    @Test
    void theLastChangeOfEachBindingReachesTheTableAndAppendsMoveToTheOtherHalf() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding phoneRefreshed = binding("sip:alice@198.51.100.1", 2);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        try (HikariDataSource db = H2Files.open(dir)) {
            BindingFold fold = fold(db);
            fold.append(List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop)));
            fold.append(List.of(new BindingChange.Remove(laptop.aor(), laptop.contactUri()),
                    new BindingChange.Put(phoneRefreshed)));
            assertThat(journalRows(db)).containsExactly(2, 0);

            fold.fold();

            assertThat(table(db)).containsExactly("sip:alice@198.51.100.1 2");
            assertThat(journalRows(db)).containsExactly(0, 0);
            fold.append(List.of(new BindingChange.Put(laptop)));
            assertThat(journalRows(db)).containsExactly(0, 1);
            fold.fold();
            assertThat(table(db)).containsExactly("sip:alice@198.51.100.1 2", "sip:alice@198.51.100.2 1");
            assertThat(journalRows(db)).containsExactly(0, 0);
            fold.close();
        }
    }

    @Test
    void aFoldOfManySlicesWritesEveryBindingAndEmptiesItsHalf() throws Exception {
        List<BindingChange> changes = new ArrayList<>();
        for (int i = 0; i < 3 * BindingFold.SLICE + 7; i++) {
            changes.add(new BindingChange.Put(binding("sip:alice@198.51.100." + (i % 250) + ":" + (5000 + i), 1)));
        }
        try (HikariDataSource db = H2Files.open(dir)) {
            BindingFold fold = fold(db);
            fold.append(changes);

            fold.fold();

            assertThat(table(db)).hasSize(changes.size());
            assertThat(journalRows(db)).containsExactly(0, 0);
            fold.close();
        }
    }

    @Test
    void aFailedFoldKeepsItsHalfAndIsFinishedBeforeTheNewerChanges() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        Binding laptopRefreshed = binding("sip:alice@198.51.100.2", 2);
        try (HikariDataSource db = H2Files.open(dir)) {
            JdbcTemplate sql = new JdbcTemplate(db);
            BindingFold fold = fold(db);
            fold.append(List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop)));
            sql.execute("ALTER TABLE sip_binding RENAME TO sip_binding_away");

            assertThatThrownBy(fold::fold).isInstanceOf(SQLException.class);

            fold.append(List.of(new BindingChange.Put(laptopRefreshed)));
            assertThat(journalRows(db)).as("both halves keep their changes").containsExactly(1, 1);
            sql.execute("ALTER TABLE sip_binding_away RENAME TO sip_binding");
            fold.fold();
            assertThat(table(db)).containsExactly("sip:alice@198.51.100.1 1", "sip:alice@198.51.100.2 2");
            assertThat(journalRows(db)).containsExactly(0, 0);
            fold.close();
        }
    }

    @Test
    void openingTheStoreFoldsBothHalvesInTheOrderTheyWereWritten() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        Binding laptop = binding("sip:alice@198.51.100.2", 1);
        try (HikariDataSource db = H2Files.open(dir)) {
            // What a crashed server leaves: changes acknowledged from the journal, never folded, the older ones in
            // the second half (appends had switched halves at a fold before).
            BindingJournal journal = new BindingJournal(db, turns);
            journal.append(1, List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop)));
            journal.append(0, List.of(new BindingChange.Remove(laptop.aor(), laptop.contactUri())));

            try (JdbcBindingStore store = new JdbcBindingStore(db, 16, 16, Duration.ZERO, NEVER)) {
                assertThat(store.loadAll()).containsExactly(phone);
                assertThat(journalRows(db)).containsExactly(0, 0);

                store.apply(List.of(new BindingChange.Put(laptop))).join();
                assertThat(journalRows(db)).as("acknowledged from the journal").containsExactly(1, 0);
                assertThat(store.loadAll()).containsExactly(phone);
            }
            assertThat(journalRows(db)).as("closing folds").containsExactly(0, 0);
            assertThat(table(db)).hasSize(2);
        }
    }

    @Test
    void aJournalLeftInTheSingleTableOfAnEarlierReleaseIsFoldedAfterTheUpgrade() throws Exception {
        Binding phone = binding("sip:alice@198.51.100.1", 1);
        try (HikariDataSource db = H2Files.open(dir, "1.2")) {
            new JdbcTemplate(db).update("INSERT INTO sip_binding_journal (id, changes) VALUES (7, ?)",
                    (Object) BindingJournalCodec.encode(List.of(new BindingChange.Put(phone))).get(0));
        }
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            assertThat(store.loadAll()).containsExactly(phone);
            assertThat(journalRows(db)).containsExactly(0, 0);
        }
    }

    @Test
    void aJournalTheStoreCannotReadStopsItFromOpening() throws Exception {
        try (HikariDataSource db = H2Files.open(dir)) {
            new JdbcTemplate(db).update("INSERT INTO sip_binding_journal_0 (id, changes) VALUES (1, ?)",
                    (Object) new byte[] {9, 1, 2});

            assertThatThrownBy(() -> new JdbcBindingStore(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sip_binding_journal_0").hasMessageContaining("format version 9");
        }
    }

    private BindingFold fold(HikariDataSource db) {
        return new BindingFold(new BindingJournal(db, turns), new BindingTransaction(db, turns), NEVER);
    }

    /** Rows in each half of the journal. */
    private static List<Integer> journalRows(HikariDataSource db) {
        return BindingJournal.HALVES.stream().map(half -> new JdbcTemplate(db)
                .queryForObject("SELECT COUNT(*) FROM " + half, Integer.class)).toList();
    }

    /** Each row of sip_binding as its contact and CSeq. */
    private static List<String> table(HikariDataSource db) {
        return new JdbcTemplate(db).queryForList("SELECT contact_uri || ' ' || cseq FROM sip_binding ORDER BY"
                + " contact_uri", String.class);
    }

    private static Binding binding(String uri, long cseq) {
        return new Binding("sip:alice@example.com", uri, NOW.plusSeconds(600), 1f, "c1", cseq, "198.51.100.9", 5060,
                "UDP", null, NOW);
    }
}
