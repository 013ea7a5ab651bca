package io.sipserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocationDirectoryTest {

    private final InMemoryLocationStore store = new InMemoryLocationStore();
    private final LocationDirectory directory = new LocationDirectory(store);

    @BeforeEach
    void sites() {
        directory.create(new Location("campus", List.of("10.0.0.0/8", "2001:db8::/32"), 10_000L));
        directory.create(new Location("branch-1", List.of("10.1.0.0/16", "198.51.100.0/24"), 512L));
        directory.create(new Location("lab", List.of("10.1.2.0/24"), null));
    }

    @Test
    void theMostSpecificRangeWinsElseDefault() throws Exception {
        assertThat(directory.locationOf(InetAddress.getByName("10.1.2.3"))).isEqualTo("lab");
        assertThat(directory.locationOf(InetAddress.getByName("10.1.9.9"))).isEqualTo("branch-1");
        assertThat(directory.locationOf(InetAddress.getByName("10.200.0.1"))).isEqualTo("campus");
        assertThat(directory.locationOf(InetAddress.getByName("198.51.100.77"))).isEqualTo("branch-1");
        assertThat(directory.locationOf(InetAddress.getByName("2001:db8::1"))).isEqualTo("campus");
        assertThat(directory.locationOf(InetAddress.getByName("203.0.113.5"))).isEqualTo(Location.DEFAULT);
        assertThat(directory.locationOf(InetAddress.getByName("2001:db9::1"))).isEqualTo(Location.DEFAULT);
    }

    @Test
    void changesAreStoredAndSeenAtOnce() throws Exception {
        directory.update(new Location("lab", List.of("192.0.2.0/24"), 64L));
        assertThat(directory.locationOf(InetAddress.getByName("10.1.2.3"))).isEqualTo("branch-1");
        assertThat(directory.locationOf(InetAddress.getByName("192.0.2.10"))).isEqualTo("lab");
        assertThat(store.saved.get("lab").bandwidthKbps()).isEqualTo(64L);

        directory.delete("lab");
        assertThat(directory.locationOf(InetAddress.getByName("192.0.2.10"))).isEqualTo(Location.DEFAULT);
        assertThat(store.saved).doesNotContainKey("lab");
    }

    @Test
    void reloadsFromTheStore() throws Exception {
        LocationDirectory restarted = new LocationDirectory(store);
        restarted.load();
        assertThat(restarted.list()).extracting(Location::name)
                .containsExactly("branch-1", "campus", "default", "lab");
        assertThat(restarted.locationOf(InetAddress.getByName("10.1.2.3"))).isEqualTo("lab");
    }

    @Test
    void defaultAlwaysExistsMayGetABudgetButNoRangesAndCannotBeDeleted() {
        assertThat(directory.find(Location.DEFAULT)).contains(Location.unlimitedDefault());
        directory.update(new Location(Location.DEFAULT, List.of(), 2048L));
        assertThat(directory.find(Location.DEFAULT).orElseThrow().bandwidthKbps()).isEqualTo(2048L);
        assertThatThrownBy(() -> directory.delete(Location.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> new Location(Location.DEFAULT, List.of("192.0.2.0/24"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CIDR ranges");
    }

    @Test
    void conflictsAndBadInputAreRefused() {
        assertThatThrownBy(() -> directory.create(new Location("campus", List.of(), null)))
                .isInstanceOf(AdmissionConflictException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> directory.create(new Location("other", List.of("198.51.100.0/24"), null)))
                .isInstanceOf(AdmissionConflictException.class).hasMessageContaining("branch-1");
        assertThatThrownBy(() -> directory.update(new Location("nowhere", List.of(), null)))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> new Location("x", List.of("10.0.0.0/33"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new Location("bad name", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("location name");
        assertThatThrownBy(() -> new Location("x", List.of(), -1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bandwidthKbps");
        assertThatThrownBy(() -> new Location("x", List.of("10.9.0.0/16", "10.9.0.0/16"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
}
