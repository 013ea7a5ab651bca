package io.sipserver.proxy.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sipserver.proxy.guard.FloodLimiter;

/**
 * The flood limiter's address table, read when the registry is scraped: how full it is, and how many requests
 * found no room in it and went through unlimited (a table too small for the traffic, or a spray from many
 * addresses).
 */
public final class FloodMetrics implements MeterBinder {

    private final FloodLimiter limiter;

    public FloodMetrics(FloodLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sip.flood.tracked.addresses", limiter, FloodLimiter::trackedAddresses)
                .description("Source addresses the flood limiter tracks now (at most sip.flood.max-tracked-addresses)")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder("sip.flood.untracked.requests", limiter, FloodLimiter::untrackedRequests)
                .description("Requests let through without a flood limit because the address table was full")
                .register(registry);
    }
}
