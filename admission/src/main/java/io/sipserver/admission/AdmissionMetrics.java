package io.sipserver.admission;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Admission metrics: per location its budget ({@code sip_admission_budget_kbps}, absent when unlimited), live usage
 * ({@code sip_admission_used_kbps}) and active reservations ({@code sip_admission_reserved_kbps}), tagged
 * {@code location}; and {@code sip_admission_calls_total{outcome=admitted|refused}}. The per-location rows follow
 * the locations as they are created and deleted. Values are read when the registry is scraped.
 */
public final class AdmissionMetrics implements MeterBinder {

    private final CallAdmission admission;
    private final LocationDirectory locations;

    public AdmissionMetrics(CallAdmission admission, LocationDirectory locations) {
        this.admission = admission;
        this.locations = locations;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sip_admission_calls", admission, CallAdmission::admittedCalls)
                .description("Calls admitted by bandwidth admission control")
                .tag("outcome", "admitted")
                .register(registry);
        FunctionCounter.builder("sip_admission_calls", admission, CallAdmission::refusedCalls)
                .description("Calls refused for want of bandwidth")
                .tag("outcome", "refused")
                .register(registry);
        MultiGauge budget = gauge(registry, "sip_admission_budget_kbps", "Bandwidth budget of the location");
        MultiGauge used = gauge(registry, "sip_admission_used_kbps", "Bandwidth charged to live calls");
        MultiGauge reserved = gauge(registry, "sip_admission_reserved_kbps",
                "Bandwidth set aside by the reservations active now");
        Runnable refresh = () -> {
            List<Location> all = locations.list();
            budget.register(all.stream()
                    .filter(location -> location.bandwidthKbps() != null)
                    .map(location -> row(location, AdmissionMetrics::budgetKbps))
                    .toList(), true);
            used.register(all.stream().map(location -> row(location, LocationUsage::usedKbps)).toList(), true);
            reserved.register(all.stream().map(location -> row(location, LocationUsage::reservedKbps)).toList(), true);
        };
        refresh.run();
        locations.addListener(new LocationListener() {
            @Override
            public void afterChange(Location previous, Location replacement) {
                refresh.run();
            }
        });
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).baseUnit("kbps").register(registry);
    }

    private MultiGauge.Row<String> row(Location location, ToDoubleFunction<LocationUsage> value) {
        return MultiGauge.Row.of(Tags.of("location", location.name()), location.name(),
                name -> value.applyAsDouble(admission.usage(name)));
    }

    /** NaN only in the instant between a budget's removal and the rows' refresh. */
    private static double budgetKbps(LocationUsage usage) {
        return usage.budgetKbps() == null ? Double.NaN : usage.budgetKbps();
    }
}
