package io.sipserver.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * RTP media relay ({@code relay.*}).
 *
 * @param host bind address of the relay's UDP sockets
 * @param advertisedAddress address written into SDP; empty = {@code sip.advertised-address}
 * @param portMin lowest relay port (rounded up to even: RTP on even ports, RTCP on the next odd one)
 * @param portMax highest relay port
 * @param mode when calls are relayed
 * @param mediaTimeout no packet in either direction for this long ends the call
 * @param ioThreads event-loop threads for the relay sockets; 0 = one per core
 */
@Validated
@ConfigurationProperties(prefix = "relay")
public record RelayProperties(
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("30000") @Min(1024) @Max(65535) int portMin,
        @DefaultValue("39999") @Min(1024) @Max(65535) int portMax,
        @DefaultValue("always") @NotNull Mode mode,
        @DefaultValue("60s") @NotNull Duration mediaTimeout,
        @DefaultValue("0") @Min(0) @Max(64) int ioThreads) {

    /** When the proxy puts the relay into a call's media path. */
    public enum Mode {
        /** Every call. */
        ALWAYS,
        /** Only when a party is behind NAT (source address differs from its Contact/SDP address, or is private). */
        NAT_ONLY,
        /** Never: media flows directly between the endpoints. */
        NEVER
    }

    public RelayProperties {
        if (portMin > portMax) {
            throw new IllegalArgumentException("relay.port-min (" + portMin + ") must not exceed relay.port-max (" + portMax + ")");
        }
        if (portMax - portMin < 3) {
            throw new IllegalArgumentException("relay.port-min..relay.port-max must hold at least two port pairs");
        }
    }
}
