package io.sipserver.admission.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.admission.Location;
import io.sipserver.admission.LocationDirectory;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.admission.Reservation;
import io.sipserver.admission.ReservationBook;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

class JdbcStoresTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(NINE.minusSeconds(86_400));
    private JdbcTemplate jdbc;
    private JdbcLocationStore locationStore;
    private JdbcReservationStore reservationStore;

    @BeforeEach
    void database() {
        DriverManagerDataSource dataSource =
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/admission").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        locationStore = new JdbcLocationStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        reservationStore = new JdbcReservationStore(jdbc);
    }

    @Test
    void locationsAndReservationsSurviveARestart() throws Exception {
        LocationDirectory locations = new LocationDirectory(locationStore);
        locations.load();
        ReservationBook book = new ReservationBook(reservationStore, locations, clock);
        book.load();
        locations.create(new Location("branch-1", List.of("198.51.100.0/24", "2001:db8:1::/48"), 512L));
        locations.create(new Location("lab", List.of("198.51.100.128/25"), null));
        locations.update(new Location(Location.DEFAULT, List.of(), 10_000L));
        Reservation reservation = book.create("branch-1", 160.5, "alice", NINE, NINE.plusSeconds(3600));

        LocationDirectory restartedLocations = new LocationDirectory(locationStore);
        restartedLocations.load();
        ReservationBook restartedBook = new ReservationBook(reservationStore, restartedLocations, clock);
        restartedBook.load();

        assertThat(restartedLocations.list()).containsExactly(
                new Location("branch-1", List.of("198.51.100.0/24", "2001:db8:1::/48"), 512L),
                new Location(Location.DEFAULT, List.of(), 10_000L),
                new Location("lab", List.of("198.51.100.128/25"), null));
        assertThat(restartedLocations.locationOf(InetAddress.getByName("198.51.100.200"))).isEqualTo("lab");
        assertThat(restartedBook.list(null)).containsExactly(reservation);
        clock.set(NINE);
        assertThat(restartedBook.active("branch-1")).containsExactly(reservation);
    }

    @Test
    void updatesReplaceRangesAndDeletesRemoveRowsAndPastReservations() {
        LocationDirectory locations = new LocationDirectory(locationStore);
        ReservationBook book = new ReservationBook(reservationStore, locations, clock);
        locations.create(new Location("branch-1", List.of("198.51.100.0/24", "203.0.113.0/24"), 512L));
        book.create("branch-1", 100, "alice", NINE, NINE.plusSeconds(60));

        locations.update(new Location("branch-1", List.of("192.0.2.0/24"), null));
        assertThat(locationStore.loadAll()).contains(new Location("branch-1", List.of("192.0.2.0/24"), null));

        clock.set(NINE.plusSeconds(60));
        locations.delete("branch-1");
        assertThat(locationStore.loadAll()).extracting(Location::name).containsExactly(Location.DEFAULT);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM admission_location_cidr", Integer.class)).isZero();
        assertThat(reservationStore.loadAll()).isEmpty();
    }
}
