package io.sipserver.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Registrar rules ({@code registrar.*}), RFC 3261 section 10.3.
 *
 * @param defaultExpires seconds granted when a REGISTER names no expiry
 * @param minExpires shortest expiry accepted; shorter non-zero requests get 423 with Min-Expires
 * @param maxExpires longest expiry granted; longer requests are cut down to it
 * @param maxContacts most bindings one address-of-record may hold
 * @param sweepInterval how often expired bindings are removed from memory and the database
 */
@Validated
@ConfigurationProperties(prefix = "registrar")
public record RegistrarProperties(
        @DefaultValue("3600") @Min(1) int defaultExpires,
        @DefaultValue("60") @Min(1) int minExpires,
        @DefaultValue("7200") @Min(1) @Max(Integer.MAX_VALUE) int maxExpires,
        @DefaultValue("10") @Min(1) int maxContacts,
        @DefaultValue("10s") @NotNull Duration sweepInterval) {

    public RegistrarProperties {
        if (minExpires > maxExpires) {
            throw new IllegalArgumentException("registrar.min-expires (" + minExpires
                    + ") must not exceed registrar.max-expires (" + maxExpires + ")");
        }
        if (defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("registrar.default-expires (" + defaultExpires
                    + ") must lie between registrar.min-expires and registrar.max-expires");
        }
    }

    /** Defaults, for code and tests that run without Spring. */
    public static RegistrarProperties defaults() {
        return new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10));
    }
}
