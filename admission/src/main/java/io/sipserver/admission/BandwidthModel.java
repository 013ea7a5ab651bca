package io.sipserver.admission;

import io.sipserver.config.AdmissionProperties;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bandwidth of an SDP body, in kbps per direction of one leg, at layer 3: for each active m-line the codec's
 * payload bitrate plus the IP/UDP/RTP headers of each packet at the stream's packet interval.
 *
 * <p>Per m-line: {@code kbps = (payloadBytesPerPacket + rtp + udp + ip) * 8 * packetsPerSecond / 1000}; with G.711
 * at 20 ms that is (160 + 40) * 8 * 50 / 1000 = 80. {@code b=TIAS} (bps without headers, RFC 3890) plus the headers
 * at {@code a=maxprate} (or the ptime) and {@code b=AS} (kbps with headers) cap a stream; video, whose packet
 * sizes vary, is taken from them or from a configured default. A session-level {@code b=AS}/{@code b=TIAS} caps
 * the sum. Streams with port 0 carry nothing. Streams marked {@code a=inactive} (hold) are still counted, so that
 * taking a call off hold cannot fail for want of bandwidth.
 */
public final class BandwidthModel {

    /** RFC 3551 static payload types that have a bitrate of their own (others resolve through a=rtpmap). */
    private static final Map<String, String> STATIC_PAYLOAD_TYPES = Map.of(
            "0", "PCMU", "3", "GSM", "4", "G723", "8", "PCMA", "9", "G722", "13", "CN", "15", "G728", "18", "G729");

    /** Payloads that ride along with a codec and never add to its stream (DTMF events, comfort noise). */
    private static final Set<String> NOT_A_CODEC = Set.of("TELEPHONE-EVENT", "CN");

    private static final String OPUS = "OPUS";
    private static final String MAX_AVERAGE_BITRATE = "maxaveragebitrate=";

    private final AdmissionProperties properties;
    private final Map<String, Double> codecKbps;

    public BandwidthModel(AdmissionProperties properties) {
        this.properties = properties;
        Map<String, Double> upperCase = new HashMap<>();
        properties.codecKbps().forEach((name, kbps) -> upperCase.put(name.toUpperCase(Locale.ROOT), kbps));
        this.codecKbps = Map.copyOf(upperCase);
    }

    /**
     * Bandwidth an offer may need: for each active m-line its most expensive codec, summed over the m-lines.
     *
     * @throws IllegalArgumentException when the body is not valid SDP (the reason names the line)
     */
    public double offerKbps(String sdp) {
        return sessionKbps(sdp, true);
    }

    /**
     * Bandwidth of an answer: for each active m-line its first codec, the one negotiated (RFC 3264 section 6.1).
     *
     * @throws IllegalArgumentException when the body is not valid SDP (the reason names the line)
     */
    public double answerKbps(String sdp) {
        return sessionKbps(sdp, false);
    }

    AdmissionProperties properties() {
        return properties;
    }

    private double sessionKbps(String sdp, boolean offer) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("SDP is empty");
        }
        SdpDescription session = SdpDescription.parse(sdp, properties.defaultPtimeMs());
        double kbps = 0;
        double packetsPerSecond = 0;
        for (SdpDescription.Media media : session.media) {
            if (media.active()) {
                kbps += streamKbps(media, offer);
                packetsPerSecond += 1000 / media.ptimeMs;
            }
        }
        if (session.maxPacketRate != SdpDescription.ABSENT) {
            packetsPerSecond = session.maxPacketRate;
        }
        return capped(kbps, session.asKbps, session.tiasBps, overheadBytes(session.ipv6), packetsPerSecond);
    }

    private double streamKbps(SdpDescription.Media media, boolean offer) {
        int overheadBytes = overheadBytes(media.ipv6);
        double packetsPerSecond = media.maxPacketRate != SdpDescription.ABSENT
                ? media.maxPacketRate : 1000 / media.ptimeMs;
        double kbps;
        if (media.type.equals("video")) {
            if (media.tiasBps != SdpDescription.ABSENT) {
                kbps = withHeaders(media.tiasBps / 1000.0, overheadBytes, packetsPerSecond);
            } else if (media.asKbps != SdpDescription.ABSENT) {
                kbps = media.asKbps;
            } else {
                kbps = properties.videoDefaultKbps();
            }
        } else {
            double payloadKbps = offer ? mostExpensivePayloadKbps(media) : negotiatedPayloadKbps(media);
            kbps = payloadKbps == 0 ? 0 : withHeaders(payloadKbps, overheadBytes, 1000 / media.ptimeMs);
        }
        return capped(kbps, media.asKbps, media.tiasBps, overheadBytes, packetsPerSecond);
    }

    private static double capped(double kbps, long asKbps, long tiasBps, int overheadBytes, double packetsPerSecond) {
        double result = kbps;
        if (tiasBps != SdpDescription.ABSENT) {
            result = Math.min(result, withHeaders(tiasBps / 1000.0, overheadBytes, packetsPerSecond));
        }
        if (asKbps != SdpDescription.ABSENT) {
            result = Math.min(result, asKbps);
        }
        return result;
    }

    private static double withHeaders(double payloadKbps, int overheadBytes, double packetsPerSecond) {
        return payloadKbps + overheadBytes * 8 * packetsPerSecond / 1000;
    }

    private int overheadBytes(boolean ipv6) {
        return properties.rtpOverheadBytes() + properties.udpOverheadBytes()
                + (ipv6 ? properties.ipv6OverheadBytes() : properties.ipv4OverheadBytes());
    }

    private double mostExpensivePayloadKbps(SdpDescription.Media media) {
        double max = 0;
        for (String format : media.formats) {
            max = Math.max(max, payloadKbps(media, format));
        }
        return max;
    }

    private double negotiatedPayloadKbps(SdpDescription.Media media) {
        for (String format : media.formats) {
            double kbps = payloadKbps(media, format);
            if (kbps > 0) {
                return kbps;
            }
        }
        return 0;
    }

    /** Payload kbps of one format of the m-line; 0 for payloads that are not a codec of their own. */
    private double payloadKbps(SdpDescription.Media media, String format) {
        String name = encodingName(media, format);
        if (NOT_A_CODEC.contains(name)) {
            return 0;
        }
        if (name.equals(OPUS)) {
            return opusKbps(media.formatParameters.get(format));
        }
        return codecKbps.getOrDefault(name, properties.unknownCodecKbps());
    }

    private static String encodingName(SdpDescription.Media media, String format) {
        String name = media.encodings.get(format);
        if (name == null) {
            name = STATIC_PAYLOAD_TYPES.get(format);
        }
        return name != null ? name : format.toUpperCase(Locale.ROOT);
    }

    private double opusKbps(String formatParameters) {
        if (formatParameters == null) {
            return properties.opusDefaultKbps();
        }
        for (String parameter : formatParameters.split(";")) {
            String p = parameter.trim();
            if (p.regionMatches(true, 0, MAX_AVERAGE_BITRATE, 0, MAX_AVERAGE_BITRATE.length())) {
                String value = p.substring(MAX_AVERAGE_BITRATE.length()).trim();
                try {
                    long bps = Long.parseLong(value);
                    if (bps > 0 && bps <= SdpDescription.MAX_TIAS_BPS) {
                        return bps / 1000.0;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException("SDP a=fmtp has a bad Opus maxaveragebitrate: '" + value + "'");
            }
        }
        return properties.opusDefaultKbps();
    }
}
