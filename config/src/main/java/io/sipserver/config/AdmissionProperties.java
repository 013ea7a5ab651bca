package io.sipserver.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Call admission control on bandwidth ({@code admission.*}).
 *
 * @param enabled when false every call is admitted and nothing is charged
 * @param defaultPtimeMs packet interval assumed when the SDP names none
 * @param ipv4OverheadBytes IPv4 header bytes per packet
 * @param ipv6OverheadBytes IPv6 header bytes per packet
 * @param udpOverheadBytes UDP header bytes per packet
 * @param rtpOverheadBytes RTP header bytes per packet
 * @param codecKbps payload bitrate per codec (encoding name, case-insensitive), in kbps
 * @param opusDefaultKbps Opus payload bitrate when the SDP gives no maxaveragebitrate
 * @param videoDefaultKbps bitrate of a video stream with no b=AS / b=TIAS
 * @param unknownCodecKbps payload bitrate of an audio codec missing from the table
 */
@Validated
@ConfigurationProperties(prefix = "admission")
public record AdmissionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") @Min(1) int defaultPtimeMs,
        @DefaultValue("20") @Min(0) int ipv4OverheadBytes,
        @DefaultValue("40") @Min(0) int ipv6OverheadBytes,
        @DefaultValue("8") @Min(0) int udpOverheadBytes,
        @DefaultValue("12") @Min(0) int rtpOverheadBytes,
        @NotNull Map<String, Double> codecKbps,
        @DefaultValue("32") @Min(1) double opusDefaultKbps,
        @DefaultValue("384") @Min(1) double videoDefaultKbps,
        @DefaultValue("64") @Min(1) double unknownCodecKbps) {

    /** Codec bitrates used when {@code admission.codec-kbps} is not set. */
    public static final Map<String, Double> DEFAULT_CODECS = Map.of(
            "PCMU", 64.0, "PCMA", 64.0, "G722", 64.0, "G729", 8.0, "G723", 6.3,
            "GSM", 13.2, "ILBC", 15.2, "G726-32", 32.0, "L16", 256.0);

    public AdmissionProperties {
        codecKbps = codecKbps == null || codecKbps.isEmpty() ? DEFAULT_CODECS : Map.copyOf(codecKbps);
    }

    /** Defaults, for code and tests that run without Spring. */
    public static AdmissionProperties defaults() {
        return new AdmissionProperties(true, 20, 20, 40, 8, 12, null, 32, 384, 64);
    }
}
