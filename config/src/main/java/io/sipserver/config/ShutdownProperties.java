package io.sipserver.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Graceful shutdown on SIGTERM ({@code sip.shutdown.*}).
 *
 * @param drain how long live calls may go on after SIGTERM: new calls and registrations are refused meanwhile,
 *     in-dialog requests still pass; calls still up at the end are hung up with BYE. 0 = hang up at once
 * @param retryAfter the Retry-After of the 503 that refuses new requests while draining (whole seconds)
 */
@Validated
@ConfigurationProperties(prefix = "sip.shutdown")
public record ShutdownProperties(
        @DefaultValue("30s") @NotNull Duration drain,
        @DefaultValue("30s") @NotNull Duration retryAfter) {

    public ShutdownProperties {
        if (drain != null && drain.isNegative()) {
            throw new IllegalArgumentException("sip.shutdown.drain must not be negative: " + drain);
        }
        if (retryAfter != null && retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("sip.shutdown.retry-after must be at least 1s: " + retryAfter);
        }
    }
}
