package io.sipserver.proxy.app;

import io.sipserver.config.AuthGuardProperties;
import io.sipserver.config.CidrRange;
import io.sipserver.config.FloodProperties;
import io.sipserver.config.SipProperties;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.proxy.guard.FloodGuard;
import io.sipserver.proxy.guard.FloodLimiter;
import io.sipserver.proxy.observability.FloodMetrics;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Protections against abuse: the per-address flood limit (first request guard) and password-guessing lock-out. */
@Configuration(proxyBeanMethods = false)
public class ProtectionConfiguration {

    /** Trusted peers and the configured exempt ranges are never limited. */
    @Bean
    @ConditionalOnBooleanProperty(name = "sip.flood.enabled", matchIfMissing = true)
    FloodLimiter floodLimiter(FloodProperties flood, SipProperties sip, Clock clock) {
        List<CidrRange> exempt = Stream.concat(flood.exempt().stream(), sip.trustedPeers().stream())
                .map(CidrRange::parse).toList();
        return new FloodLimiter(clock, flood.maxRequests(), flood.window(), flood.coolDown(), exempt,
                flood.maxTrackedAddresses());
    }

    @Bean
    @Order(10)
    @ConditionalOnBooleanProperty(name = "sip.flood.enabled", matchIfMissing = true)
    FloodGuard floodGuard(FloodLimiter limiter) {
        return new FloodGuard(limiter);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sip.flood.enabled", matchIfMissing = true)
    FloodMetrics floodMetrics(FloodLimiter limiter) {
        return new FloodMetrics(limiter);
    }

    @Bean
    AuthFailureTracker authFailureTracker(AuthGuardProperties guard, Clock clock) {
        return guard.enabled()
                ? new AuthFailureTracker(clock, guard.maxFailures(), guard.maxFailuresPerAddress(), guard.window(),
                        guard.coolDown(), guard.failureDelay(), guard.maxTracked())
                : AuthFailureTracker.disabled();
    }
}
