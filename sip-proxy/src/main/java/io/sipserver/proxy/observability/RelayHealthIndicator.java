package io.sipserver.proxy.observability;

import io.sipserver.relay.MediaRelay;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The RTP relay: UP while it runs. Running out of port pairs is a matter of capacity, not of health (a full relay
 * still carries its calls), so it shows as a detail next to the live sessions rather than as DOWN.
 */
public final class RelayHealthIndicator extends AbstractHealthIndicator {

    private final MediaRelay relay;

    public RelayHealthIndicator(MediaRelay relay) {
        super("relay health check failed");
        this.relay = relay;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        (relay.running() ? builder.up() : builder.down())
                .withDetail("sessions", relay.sessions().size())
                .withDetail("freePortPairs", relay.freePortPairs());
    }
}
