package io.sipserver.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.guard.FloodLimiter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloodMetricsTest {

    @Test
    void requestsThatFoundNoRoomInTheAddressTableAreCounted() throws Exception {
        FloodLimiter limiter = new FloodLimiter(MutableClock.startingAt("2030-01-01T00:00:00Z"), 10,
                Duration.ofSeconds(1), Duration.ofSeconds(60), List.of(), 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FloodMetrics(limiter).bindTo(registry);

        for (String address : List.of("198.51.100.1", "198.51.100.2", "203.0.113.1", "203.0.113.2", "203.0.113.1")) {
            limiter.admit(InetAddress.getByName(address));
        }

        assertThat(registry.get("sip.flood.tracked.addresses").gauge().value()).isEqualTo(2);
        assertThat(registry.get("sip.flood.untracked.requests").functionCounter().count()).isEqualTo(3);
    }
}
