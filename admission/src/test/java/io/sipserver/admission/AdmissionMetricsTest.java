package io.sipserver.admission;

import io.sipserver.config.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipserver.config.AdmissionProperties;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionMetricsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final LocationDirectory locations = new LocationDirectory(new InMemoryLocationStore());
    private final ReservationBook reservations = new ReservationBook(new InMemoryReservationStore(), locations, clock);
    private final CallAdmission admission = new CallAdmission(new BandwidthModel(AdmissionProperties.defaults()),
            locations, new BandwidthLedger(LocationLimits.of(locations, reservations)), clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void gaugesFollowTheLocationsAndCountersTheDecisions() throws Exception {
        new AdmissionMetrics(admission, locations).bindTo(registry);
        assertThat(registry.find("sip_admission_used_kbps").tag("location", "default").gauge()).isNotNull();
        assertThat(registry.find("sip_admission_budget_kbps").gauges()).as("default is unlimited").isEmpty();

        locations.create(new Location("branch-1", List.of("198.51.100.0/24"), 100L));
        reservations.create("branch-1", 20, "alice", clock.instant(), clock.instant().plusSeconds(60));
        CallParty caller = new CallParty("bob", InetAddress.getByName("198.51.100.7"));
        CallParty callee = new CallParty("carol", InetAddress.getByName("203.0.113.7"));
        String pcmu = "v=0\nc=IN IP4 198.51.100.7\nm=audio 4000 RTP/AVP 0\n";
        admission.admit("c1", caller, List.of(callee), true, pcmu);
        admission.admit("c2", caller, List.of(callee), true, pcmu);

        assertThat(gauge("sip_admission_budget_kbps", "branch-1")).isEqualTo(100);
        assertThat(gauge("sip_admission_used_kbps", "branch-1")).isEqualTo(80);
        assertThat(gauge("sip_admission_reserved_kbps", "branch-1")).isEqualTo(20);
        assertThat(registry.get("sip_admission_calls").tag("outcome", "admitted").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("sip_admission_calls").tag("outcome", "refused").functionCounter().count())
                .isEqualTo(1);

        admission.release("c1");
        reservations.delete(reservations.list("branch-1").get(0).id());
        locations.delete("branch-1");
        assertThat(registry.find("sip_admission_used_kbps").tag("location", "branch-1").gauge()).isNull();
    }

    private double gauge(String name, String location) {
        return registry.get(name).tag("location", location).gauge().value();
    }
}
