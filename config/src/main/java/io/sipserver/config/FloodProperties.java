package io.sipserver.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Flood protection ({@code sip.flood.*}): a request rate limit per source address, checked before the stack
 * allocates a transaction. A source over the limit has all its requests dropped for the cool-down.
 *
 * <p>The default limit, 2000 requests in 5 s, is far above what one NAT'd office sends: 500 phones behind one
 * address re-registering every 60 s with digest (2 requests each) and sending OPTIONS keep-alives every 30 s make
 * about 35 requests/s, and even all of them rebooting within 5 s (REGISTER, 401, REGISTER) stay under it.
 * Kamailio's pike module defaults to 30 requests in 2 s; its users then list offices as exceptions.
 *
 * @param enabled whether the limit applies at all
 * @param maxRequests requests one source address may send within one window
 * @param window length of the sliding window the requests are counted in
 * @param coolDown how long a source over the limit is ignored
 * @param exempt CIDR ranges never limited (besides {@code sip.trusted-peers}); the default exempts loopback,
 *     from which local load generators (the benchmarks, SIPp tests) send ~16,000 requests/s
 * @param maxTrackedAddresses most source addresses tracked at once; when full, idle ones are evicted, and an
 *     address that finds no room is not limited (the overload guard still applies)
 */
@Validated
@ConfigurationProperties(prefix = "sip.flood")
public record FloodProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2000") @Min(1) @Max(65535) int maxRequests,
        @DefaultValue("5s") @NotNull Duration window,
        @DefaultValue("60s") @NotNull Duration coolDown,
        @DefaultValue({"127.0.0.0/8", "::1/128"}) @NotNull List<@Cidr String> exempt,
        @DefaultValue("65536") @Min(16) int maxTrackedAddresses) {

    public FloodProperties {
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("sip.flood.window must be at least 1ms: " + window);
        }
        if (coolDown.isNegative()) {
            throw new IllegalArgumentException("sip.flood.cool-down must not be negative: " + coolDown);
        }
    }
}
