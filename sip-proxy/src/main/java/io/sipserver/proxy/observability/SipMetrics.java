package io.sipserver.proxy.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sipserver.proxy.observability.SipTrafficCounts.Direction;
import java.util.Locale;

/**
 * The SIP traffic counters as Micrometer meters, read from {@link SipTrafficCounts} at scrape time:
 * <ul>
 * <li>{@code sip.requests.received{method}}: every method, from the start;</li>
 * <li>{@code sip.responses.received{method,status}} and {@code sip.responses.sent{method,status}}: a series per
 * pair that has occurred;</li>
 * <li>{@code sip.guard.refusals{guard,status}}: requests a request guard stopped; {@code status} is the refusal's
 * code, or {@code drop} when it was dropped without an answer.</li>
 * </ul>
 */
public final class SipMetrics implements MeterBinder {

    private final SipTrafficCounts counts;

    public SipMetrics(SipTrafficCounts counts) {
        this.counts = counts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SipMethod method : SipMethod.values()) {
            FunctionCounter.builder("sip.requests.received", counts, c -> c.requestsReceived(method))
                    .description("SIP requests received (retransmissions included)")
                    .tag("method", method.name())
                    .register(registry);
        }
        counts.listen(new SipTrafficCounts.SeriesListener() {
            @Override
            public void newResponseSeries(Direction direction, SipMethod method, int status) {
                FunctionCounter.builder("sip.responses." + direction.name().toLowerCase(Locale.ROOT), counts,
                                c -> c.responses(direction, method, status))
                        .description(direction == Direction.SENT
                                ? "SIP responses the server sent (its own and relayed ones; not the stack's retransmissions)"
                                : "SIP responses received (retransmissions included)")
                        .tag("method", method.name())
                        .tag("status", Integer.toString(status))
                        .register(registry);
            }

            @Override
            public void newGuardSeries(String guard, int status) {
                FunctionCounter.builder("sip.guard.refusals", counts, c -> c.guardStops(guard, status))
                        .description("Requests a request guard refused (status) or dropped (status=drop)")
                        .tag("guard", guard)
                        .tag("status", status == 0 ? "drop" : Integer.toString(status))
                        .register(registry);
            }
        });
    }
}
