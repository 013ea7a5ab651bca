package io.sipserver.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SIP listener and proxy behaviour ({@code sip.*}).
 *
 * @param host bind address of the UDP and TCP listeners
 * @param port SIP port (UDP and TCP)
 * @param domain the served domain; the server's own address is served too
 * @param advertisedAddress address put in Via and Record-Route; empty = the bind address, or the first
 *     non-loopback interface address when bound to the wildcard
 * @param transports transports to listen on (udp, tcp)
 * @param maxMessageSize largest SIP message accepted, in bytes
 * @param threadPoolSize JAIN-SIP worker threads that parse and run the listener
 * @param trustedPeers CIDR ranges whose requests skip digest authentication
 * @param timerC how long an INVITE branch may stay unanswered before the proxy gives up (RFC 3261 16.8)
 * @param ackTimeout a call whose 2xx no ACK followed is forgotten (and its bandwidth and relay released) after this:
 *     by then its callee has given up on it (RFC 3261 13.3.1.4: 64*T1 of 2xx retransmissions, then BYE)
 * @param dialogTimeout a call whose BYE was never seen is forgotten (and its bandwidth and relay released) after this
 * @param auth digest authentication settings
 */
@Validated
@ConfigurationProperties(prefix = "sip")
public record SipProperties(
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("5060") @Min(0) @Max(65535) int port,
        @DefaultValue("localhost") @NotBlank String domain,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue({"udp", "tcp"}) @NotEmpty List<Transport> transports,
        @DefaultValue("16384") @Min(4096) @Max(65535) int maxMessageSize,
        @DefaultValue("8") @Min(1) @Max(256) int threadPoolSize,
        @DefaultValue({}) @NotNull List<@Cidr String> trustedPeers,
        @DefaultValue("180s") @NotNull Duration timerC,
        @DefaultValue("32s") @NotNull Duration ackTimeout,
        @DefaultValue("12h") @NotNull Duration dialogTimeout,
        @DefaultValue @Valid @NotNull Auth auth) {

    /** Transports the SIP listener can use. */
    public enum Transport { UDP, TCP }

    /**
     * Digest authentication ({@code sip.auth.*}), RFC 7616 / RFC 8760.
     *
     * @param algorithms challenge algorithms, one WWW-Authenticate/Proxy-Authenticate header each, in this order
     * @param realm digest realm; empty = {@code sip.domain}
     * @param nonceTtl how long a nonce is accepted before the client is re-challenged with stale=true
     * @param nonceSecret key that signs nonces; empty = a random key per start (nonces then die with a restart)
     */
    public record Auth(
            @DefaultValue({"MD5", "SHA-256"}) @NotEmpty List<DigestAlgorithm> algorithms,
            @DefaultValue("") String realm,
            @DefaultValue("300s") @NotNull Duration nonceTtl,
            @DefaultValue("") String nonceSecret) {
    }
}
