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
 * @param commitInterval least time between two commits of binding changes: under load one commit carries all the
 *                       changes of an interval (each H2 commit rewrites every page it touched); a 200 to REGISTER
 *                       waits for its commit, so at most this much longer
 * @param foldInterval how often acknowledged binding changes move from the journal, where each commit appends them,
 *                     into the bindings table: a binding refreshed several times in an interval is written there
 *                     once; start-up replays at most about this much of the journal
 */
@Validated
@ConfigurationProperties(prefix = "registrar")
public record RegistrarProperties(
        @DefaultValue("3600") @Min(1) int defaultExpires,
        @DefaultValue("60") @Min(1) int minExpires,
        @DefaultValue("7200") @Min(1) @Max(Integer.MAX_VALUE) int maxExpires,
        @DefaultValue("10") @Min(1) int maxContacts,
        @DefaultValue("10s") @NotNull Duration sweepInterval,
        @DefaultValue("10ms") @NotNull Duration commitInterval,
        @DefaultValue("30s") @NotNull Duration foldInterval) {

    /** Longer would hold every REGISTER's 200 long enough for its client to retransmit (T1 is 500 ms). */
    static final Duration MAX_COMMIT_INTERVAL = Duration.ofMillis(200);

    public RegistrarProperties {
        if (minExpires > maxExpires) {
            throw new IllegalArgumentException("registrar.min-expires (" + minExpires
                    + ") must not exceed registrar.max-expires (" + maxExpires + ")");
        }
        if (defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("registrar.default-expires (" + defaultExpires
                    + ") must lie between registrar.min-expires and registrar.max-expires");
        }
        if (commitInterval != null
                && (commitInterval.isNegative() || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0)) {
            throw new IllegalArgumentException("registrar.commit-interval (" + commitInterval
                    + ") must lie between 0 and " + MAX_COMMIT_INTERVAL.toMillis() + "ms");
        }
        if (foldInterval != null && (foldInterval.isNegative() || foldInterval.isZero())) {
            throw new IllegalArgumentException("registrar.fold-interval (" + foldInterval + ") must be positive");
        }
    }

    /** Defaults, for code and tests that run without Spring. */
    public static RegistrarProperties defaults() {
        return new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10), Duration.ofMillis(10),
                Duration.ofSeconds(30));
    }
}
