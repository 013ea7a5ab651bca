package io.sipserver.proxy.observability;

import static io.sipserver.proxy.observability.SipTrafficCountsTest.request;
import static io.sipserver.proxy.observability.SipTrafficCountsTest.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipserver.proxy.sip.GuardVerdict;
import org.junit.jupiter.api.Test;

class SipMetricsTest {

    private final SipTrafficCounts counts = new SipTrafficCounts();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void requestCountersExistForEveryMethodFromTheStart() {
        new SipMetrics(counts).bindTo(registry);
        counts.requestReceived(request("OPTIONS"));

        assertThat(registry.find("sip.requests.received").functionCounters()).hasSize(SipMethod.values().length);
        assertThat(counter("sip.requests.received", "method", "OPTIONS").count()).isEqualTo(1);
        assertThat(counter("sip.requests.received", "method", "INVITE").count()).isZero();
    }

    @Test
    void responseSeriesAppearWithTheirFirstResponseOnly() {
        counts.responseSent(response(401, "REGISTER"));
        new SipMetrics(counts).bindTo(registry);
        counts.responseSent(response(200, "REGISTER"));
        counts.responseSent(response(200, "REGISTER"));
        counts.responseReceived(response(180, "INVITE"));

        assertThat(counter("sip.responses.sent", "method", "REGISTER", "status", "401").count()).isEqualTo(1);
        assertThat(counter("sip.responses.sent", "method", "REGISTER", "status", "200").count()).isEqualTo(2);
        assertThat(counter("sip.responses.received", "method", "INVITE", "status", "180").count()).isEqualTo(1);
        assertThat(registry.find("sip.responses.sent").functionCounters()).hasSize(2);
        assertThat(registry.find("sip.responses.received").functionCounters()).hasSize(1);
    }

    @Test
    void guardRefusalsAreTaggedWithTheGuardAndTheStatusOrDrop() {
        new SipMetrics(counts).bindTo(registry);
        counts.guardStopped("FloodGuard", GuardVerdict.DROP);
        counts.guardStopped("OverloadGuard", GuardVerdict.refuse(503, 5, null));
        counts.guardStopped("OverloadGuard", GuardVerdict.refuse(503, 5, null));

        assertThat(counter("sip.guard.refusals", "guard", "FloodGuard", "status", "drop").count()).isEqualTo(1);
        assertThat(counter("sip.guard.refusals", "guard", "OverloadGuard", "status", "503").count()).isEqualTo(2);
    }

    private FunctionCounter counter(String name, String... tags) {
        FunctionCounter counter = registry.find(name).tags(tags).functionCounter();
        assertThat(counter).as("%s %s", name, String.join(",", tags)).isNotNull();
        return counter;
    }
}
