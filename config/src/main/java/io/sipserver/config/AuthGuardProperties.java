package io.sipserver.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Protection against password guessing ({@code sip.auth-guard.*}). Failed digest attempts are counted per user
 * and source address, and per source address; the 403 for each repeated failure comes later and later, and past
 * the limit the user (from that address), or the address, is refused for the cool-down. A user who authenticates
 * from another address is not affected, and neither is a user who authenticated from a locked address before its
 * lock (an office NAT shares one address).
 *
 * @param enabled whether failures are counted at all
 * @param maxFailures failures of one user from one address within the window before that pair is locked
 * @param maxFailuresPerAddress failures of any users from one address within the window before the address is
 *     locked (a guesser trying many user names)
 * @param window failures older than this are forgotten
 * @param coolDown how long a locked user/address or address is refused
 * @param failureDelay the 403 for the n-th failure in a row is sent (n - 1) times this late
 * @param maxTracked most users/addresses and addresses tracked at once; idle ones are evicted when full
 */
@Validated
@ConfigurationProperties(prefix = "sip.auth-guard")
public record AuthGuardProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5") @Min(1) int maxFailures,
        @DefaultValue("50") @Min(1) int maxFailuresPerAddress,
        @DefaultValue("10m") @NotNull Duration window,
        @DefaultValue("5m") @NotNull Duration coolDown,
        @DefaultValue("1s") @NotNull Duration failureDelay,
        @DefaultValue("100000") @Min(16) int maxTracked) {

    public AuthGuardProperties {
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("sip.auth-guard.window must be at least 1ms: " + window);
        }
        if (coolDown.isNegative() || failureDelay.isNegative()) {
            throw new IllegalArgumentException("sip.auth-guard.cool-down and failure-delay must not be negative");
        }
    }
}
