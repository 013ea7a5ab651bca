package io.sipserver.proxy.app;

import io.sipserver.config.SipProperties;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.observability.RelayHealthIndicator;
import io.sipserver.proxy.observability.ServerStateMetrics;
import io.sipserver.proxy.observability.SipHealthIndicator;
import io.sipserver.proxy.observability.SipMetrics;
import io.sipserver.proxy.observability.SipTrafficCounts;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.registrar.LocationService;
import io.sipserver.relay.MediaRelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics (Micrometer, scraped at {@code /actuator/prometheus}) and health components ({@code sip}, {@code relay};
 * Spring Boot adds {@code db}) of the SIP server. The admission metrics are bound in {@link MediaConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    /** The SIP traffic counters, attached to the stack's valve and to the proxy's response sending. */
    @Bean
    SipTrafficCounts sipTrafficCounts(SipStackRuntime stack) {
        SipTrafficCounts counts = new SipTrafficCounts();
        stack.countTrafficWith(counts);
        return counts;
    }

    @Bean
    SipMetrics sipMetrics(SipTrafficCounts counts) {
        return new SipMetrics(counts);
    }

    @Bean
    ServerStateMetrics serverStateMetrics(SipStackRuntime stack, CallRegistry calls, LocationService locations,
            MediaRelay relay) {
        return new ServerStateMetrics(stack, calls, locations, relay);
    }

    @Bean
    SipHealthIndicator sipHealthIndicator(SipStackRuntime stack, SipProperties sip) {
        return new SipHealthIndicator(stack, sip.transports().size());
    }

    @Bean
    RelayHealthIndicator relayHealthIndicator(MediaRelay relay) {
        return new RelayHealthIndicator(relay);
    }
}
