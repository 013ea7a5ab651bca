package io.sipserver.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Warm-up of the SIP message path at start ({@code sip.warm-up.*}): synthetic messages of a registration and a call
 * are parsed, changed and encoded as the proxy does, before the server reports ready, so that the JIT has compiled
 * that code when traffic arrives. Nothing is sent, stored or counted.
 *
 * @param enabled run the warm-up at start
 * @param messages how many messages go through (the messages of one call and one registration, over and over)
 * @param maxDuration the warm-up stops after this long even when fewer messages have gone through
 */
@Validated
@ConfigurationProperties(prefix = "sip.warm-up")
public record WarmUpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("40000") @Min(1) int messages,
        @DefaultValue("3s") @NotNull Duration maxDuration) {

    public WarmUpProperties {
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("sip.warm-up.max-duration must be positive: " + maxDuration);
        }
    }
}
