package io.sipserver.registrar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Changes of several REGISTERs share a transaction; the last change of a row decides its fate. */
class BindingTransactionTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theLastChangeOfARowWins() throws Exception {
        Binding phone = binding("sip:alice@192.0.2.1", 1);
        Binding phoneRefreshed = binding("sip:alice@192.0.2.1", 2);
        Binding laptop = binding("sip:alice@192.0.2.2", 1);
        try (HikariDataSource db = H2Files.open(dir)) {
            BindingTransaction transaction = new BindingTransaction(db);

            transaction.write(List.of(new BindingChange.Put(phone), new BindingChange.Put(laptop),
                    new BindingChange.Remove(laptop.aor(), laptop.contactUri()),
                    new BindingChange.Put(phoneRefreshed)));

            assertThat(new JdbcTemplate(db).queryForList("SELECT contact_uri || ' ' || cseq FROM sip_binding", String.class))
                    .containsExactly("sip:alice@192.0.2.1 2");
            transaction.write(List.of(new BindingChange.Remove(laptop.aor(), laptop.contactUri()),
                    new BindingChange.Put(laptop)));
            assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding", Integer.class))
                    .isEqualTo(2);
        }
    }

    @Test
    void aRefreshInALaterCommitReplacesTheStoredRow() throws Exception {
        Binding phone = binding("sip:alice@192.0.2.1", 1);
        Binding refreshed = new Binding(phone.aor(), phone.contactUri(), NOW.plusSeconds(3600), 0.5f, "c2", 7,
                "198.51.100.7", 40000, "TCP", "baresip", NOW.plusSeconds(60));
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore stored = new JdbcBindingStore(db)) {
            BindingTransaction transaction = new BindingTransaction(db);
            transaction.write(List.of(new BindingChange.Put(phone)));

            transaction.write(List.of(new BindingChange.Put(refreshed)));

            assertThat(stored.loadAll()).containsExactly(refreshed);
            transaction.write(List.of(new BindingChange.Remove(phone.aor(), phone.contactUri())));
            assertThat(stored.loadAll()).isEmpty();
        }
    }

    private static Binding binding(String uri, long cseq) {
        return new Binding("sip:alice@example.com", uri, NOW.plusSeconds(600), 1f, "c1", cseq, "192.0.2.1", 5060,
                "UDP", null, NOW);
    }
}
