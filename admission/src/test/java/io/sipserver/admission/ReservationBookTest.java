package io.sipserver.admission;

import io.sipserver.config.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReservationBookTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant TEN = NINE.plus(Duration.ofHours(1));
    private static final Instant ELEVEN = TEN.plus(Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(NINE.minus(Duration.ofDays(1)));
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final LocationDirectory locations = new LocationDirectory(new InMemoryLocationStore());
    private final ReservationBook book = new ReservationBook(store, locations, clock);

    @BeforeEach
    void site() {
        locations.create(new Location("branch-1", List.of("198.51.100.0/24"), 512L));
    }

    @Test
    void aWindowThatOverlapsAndExceedsTheBudgetIsAConflict() {
        book.create("branch-1", 400, "alice", NINE, TEN);

        assertThatThrownBy(() -> book.create("branch-1", 160, "bob", NINE.plus(Duration.ofMinutes(30)), ELEVEN))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("does not fit location 'branch-1' (budget 512 kbps)")
                .hasMessageContaining("400 kbps are already reserved at 2026-12-01T09:30:00Z")
                .hasMessageContaining("112 kbps are left");
        assertThat(book.create("branch-1", 160, "bob", TEN, ELEVEN).owner())
                .as("windows that only touch do not overlap").isEqualTo("bob");
        assertThat(store.saved).hasSize(2);
    }

    @Test
    void onlyWhatIsReservedAtTheSameInstantCounts() {
        book.create("branch-1", 250, "alice", NINE, TEN);
        book.create("branch-1", 250, "bob", TEN, ELEVEN);

        Instant halfPastNine = NINE.plus(Duration.ofMinutes(30));
        Instant halfPastTen = TEN.plus(Duration.ofMinutes(30));
        assertThat(book.create("branch-1", 262, "carol", halfPastNine, halfPastTen)).isNotNull();
        assertThatThrownBy(() -> book.create("branch-1", 1, "dave", halfPastNine, halfPastTen))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("512 kbps are already reserved")
                .hasMessageContaining("by 2 overlapping reservation(s)");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> book.create("branch-1", 100, "alice", TEN, NINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be after start");
        assertThatThrownBy(() -> book.create("branch-1", 100, "alice", NINE, NINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be after start");
        assertThatThrownBy(() -> book.create("nowhere", 100, "alice", NINE, TEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no location 'nowhere'");
        assertThatThrownBy(() -> book.create("branch-1", 0, "alice", NINE, TEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bandwidthKbps must be positive");
        assertThatThrownBy(() -> book.create("branch-1", 100, " ", NINE, TEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner is required");
        clock.set(TEN);
        assertThatThrownBy(() -> book.create("branch-1", 100, "alice", NINE, TEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already ended");
        assertThat(store.saved).isEmpty();
    }

    @Test
    void anUnlimitedLocationTakesAnyReservation() {
        assertThat(book.create(Location.DEFAULT, 1_000_000, "alice", NINE, TEN).location())
                .isEqualTo(Location.DEFAULT);
    }

    @Test
    void listFindAndDelete() {
        locations.create(new Location("branch-2", List.of(), 100L));
        Reservation later = book.create("branch-1", 100, "alice", TEN, ELEVEN);
        Reservation earlier = book.create("branch-1", 100, "bob", NINE, TEN);
        Reservation elsewhere = book.create("branch-2", 100, "carol", NINE, TEN);

        assertThat(book.list("branch-1")).containsExactly(earlier, later);
        assertThat(book.list(null)).hasSize(3);
        assertThat(book.find(elsewhere.id())).contains(elsewhere);

        book.delete(earlier.id());
        assertThat(book.list("branch-1")).containsExactly(later);
        assertThat(store.saved).doesNotContainKey(earlier.id());
        assertThatThrownBy(() -> book.delete(earlier.id())).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void activeReservationsFollowTheClock() {
        Reservation r = book.create("branch-1", 100, "alice", NINE, TEN);
        assertThat(book.active("branch-1")).isEmpty();

        clock.set(NINE);
        List<Reservation> active = book.active("branch-1");
        assertThat(active).containsExactly(r);
        clock.advance(Duration.ofMinutes(59));
        assertThat(book.active("branch-1")).as("same set, same instance").isSameAs(active);

        clock.set(TEN);
        assertThat(book.active("branch-1")).isEmpty();
    }

    @Test
    void aBudgetBelowWhatIsReservedOrADeletionWithPendingReservationsIsAConflict() {
        Reservation r = book.create("branch-1", 400, "alice", NINE, TEN);

        assertThatThrownBy(() -> locations.update(new Location("branch-1", List.of("198.51.100.0/24"), 300L)))
                .isInstanceOf(AdmissionConflictException.class).hasMessageContaining("400 kbps reserved");
        assertThatThrownBy(() -> locations.delete("branch-1"))
                .isInstanceOf(AdmissionConflictException.class).hasMessageContaining("have not ended");
        assertThat(locations.find("branch-1").orElseThrow().bandwidthKbps()).isEqualTo(512L);

        clock.set(TEN);
        locations.update(new Location("branch-1", List.of(), 300L));
        locations.delete("branch-1");
        assertThat(book.find(r.id())).as("past reservations go with their location").isEmpty();
        assertThat(store.saved).isEmpty();
    }

    @Test
    void reloadsFromTheStore() {
        Reservation r = book.create("branch-1", 100, "alice", NINE, TEN);
        ReservationBook restarted = new ReservationBook(store, locations, clock);
        restarted.load();
        assertThat(restarted.list(null)).containsExactly(r);
        clock.set(NINE);
        assertThat(restarted.active("branch-1")).containsExactly(r);
    }
}
