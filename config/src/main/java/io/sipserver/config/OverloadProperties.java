package io.sipserver.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Overload control ({@code sip.overload.*}): when the server falls behind, new INVITEs and REGISTERs beyond the rate
 * at which it finishes them are refused with 503 and Retry-After at once, so the calls already in progress finish
 * instead of every client retransmitting into a growing queue (RFC 6357's congestion collapse).
 *
 * @param enabled refuse new INVITEs and REGISTERs when overloaded; when false, only the hard bounds below hold
 * @param maxDelay when even the quickest new UDP request of the last 250 ms took longer than this from arrival until
 *        processed (a standing delay), the server is behind... (a request and its answer each wait in the queue, so
 *        the bound is well below T1 = 500 ms, when clients retransmit); while behind, half of this is the delay
 *        that the admitted rate keeps the new requests waiting at
 * @param minQueued ...when at least this many messages wait too: a few messages that waited long are a pause of the
 *        JVM (start-up, garbage collection), not load
 * @param maxServerTransactions above this many live server transactions, new INVITEs and REGISTERs are refused
 * @param queueCapacity most UDP datagrams waiting to be processed; beyond it new datagrams are dropped on arrival
 * @param retryAfter the Retry-After put in the 503
 */
@Validated
@ConfigurationProperties(prefix = "sip.overload")
public record OverloadProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100ms") @NotNull Duration maxDelay,
        @DefaultValue("64") @Min(1) int minQueued,
        @DefaultValue("100000") @Min(100) int maxServerTransactions,
        @DefaultValue("20000") @Min(100) @Max(10_000_000) int queueCapacity,
        @DefaultValue("2s") @NotNull Duration retryAfter) {

    public OverloadProperties {
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("sip.overload.max-delay must be positive: " + maxDelay);
        }
        if (retryAfter.isNegative() || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("sip.overload.retry-after must be at least 1s: " + retryAfter);
        }
    }
}
