package io.sipserver.registrar.jdbc;

import static io.sipserver.registrar.Registers.ALICE;
import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.ok;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.DuplicateUserException;
import io.sipserver.registrar.LocationService;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.registrar.User;
import io.sipserver.registrar.UserService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Real H2 in a file: what is acknowledged survives a restart. */
class JdbcPersistenceTest {

    private static final String PHONE = "sip:alice@198.51.100.7:5062";
    private static final String LAPTOP = "sip:alice@203.0.113.9:5060;transport=tcp";
    private static final String BOB = "sip:bob@example.com";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00.123456789Z");
    private final RegistrarProperties props = RegistrarProperties.defaults();

    @Test
    void aRestartLosesNoBindingAndTheRestoredBindingKeepsItsRemainingExpiry() throws Exception {
        List<Binding> registered;
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            LocationService locations = new LocationService(store, props, clock);
            locations.load();
            registered = ok(locations.register(register(ALICE, "c1", 7, 600,
                    contact(PHONE, null, 0.7f), contact(LAPTOP, 1800, null))));
            ok(locations.register(register(BOB, "c2", 1, null, contact("sip:bob@192.0.2.5"))));
        }
        clock.advance(Duration.ofSeconds(100));

        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            LocationService restored = new LocationService(store, props, clock);
            restored.load();

            assertThat(restored.lookup(ALICE)).isEqualTo(registered);
            assertThat(restored.lookup(ALICE)).extracting(b -> b.expiresInSeconds(clock.instant()))
                    .containsExactly(1700L, 500L);
            assertThat(restored.lookup(BOB)).hasSize(1);
            assertThat(restored.bindingCount()).isEqualTo(3);
            assertThat(ok(restored.register(register(ALICE, "c1", 6, 0, contact(PHONE)))))
                    .as("the stored CSeq still orders requests").hasSize(2);
        }
    }

    @Test
    void removalsAndSweepsAreWrittenThrough() throws Exception {
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            LocationService locations = new LocationService(store, props, clock);
            ok(locations.register(register(ALICE, "c1", 1, 60, contact(PHONE))));
            ok(locations.register(register(ALICE, "c1", 2, 3600, contact(LAPTOP))));
            ok(locations.register(register(BOB, "c2", 1, 600, contact("sip:bob@192.0.2.5"))));
            assertThat(locations.remove(BOB).join()).isTrue();
            clock.advance(Duration.ofSeconds(61));
            assertThat(locations.sweep()).isEqualTo(1);
        }

        try (HikariDataSource db = H2Files.open(dir)) {
            assertThat(new JdbcTemplate(db).queryForList("SELECT contact_uri FROM sip_binding", String.class))
                    .containsExactly(LAPTOP);
        }
    }

    @Test
    void usersSurviveARestartAsHa1ValuesOnly() {
        User alice;
        try (HikariDataSource db = H2Files.open(dir)) {
            UserService users = new UserService(new JdbcUserStore(new JdbcTemplate(db)), "example.com");
            alice = users.create("alice", "s3cret");
            users.create("bob", "hunter2");
            assertThat(users.delete("bob")).isTrue();
        }

        try (HikariDataSource db = H2Files.open(dir)) {
            JdbcUserStore store = new JdbcUserStore(new JdbcTemplate(db));
            UserService users = new UserService(store, "example.com");
            users.load();

            assertThat(users.list()).containsExactly(alice);
            assertThat(new JdbcTemplate(db).queryForList("SELECT * FROM sip_user").toString()).doesNotContain("s3cret");
            assertThatThrownBy(() -> store.insert(alice)).isInstanceOf(DuplicateUserException.class);
        }
    }
}
