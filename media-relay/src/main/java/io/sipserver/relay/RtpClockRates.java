package io.sipserver.relay;

import java.util.Arrays;

/**
 * The RTP timestamp clock of each payload type (0-127) of one stream, which interarrival jitter is measured in: the
 * rate an SDP's {@code a=rtpmap} lines give (RFC 8866 section 6.6), else RFC 3551's static assignment (tables 4
 * and 5), else {@value #FALLBACK_CLOCK_RATE} Hz.
 *
 * <p>Immutable: built on the signalling path, looked up on the packet path without allocation or lock.
 */
public final class RtpClockRates {

    /**
     * Clock for a payload type with neither an rtpmap nor a static assignment (a dynamic type the SDP did not map,
     * or a session without SDP): the narrow-band audio rate, right for most telephony.
     */
    public static final int FALLBACK_CLOCK_RATE = 8000;

    /** The 7-bit payload type field of RTP (RFC 3550 section 5.1) has this many values. */
    private static final int PAYLOAD_TYPES = 128;

    /** No rtpmap known: RFC 3551's static payload types, {@value #FALLBACK_CLOCK_RATE} Hz for the others. */
    public static final RtpClockRates UNMAPPED = new RtpClockRates(new int[PAYLOAD_TYPES]);

    /** RFC 3551 tables 4 and 5; {@value #FALLBACK_CLOCK_RATE} where no clock is assigned. */
    private static final int[] STATIC = staticClockRates();

    /** Payload type -> clock from rtpmap lines; 0 where none. */
    private final int[] mapped;

    private RtpClockRates(int[] mapped) {
        this.mapped = mapped;
    }

    /**
     * The clocks an m-line's {@code a=rtpmap} attributes give.
     *
     * @param rtpmaps attribute values, {@code <payload type> <encoding name>/<clock rate>[/<parameters>]}; one that
     *     does not parse, or names a payload type above 127 or a clock of 0, is ignored
     */
    public static RtpClockRates fromRtpmaps(Iterable<String> rtpmaps) {
        int[] mapped = new int[PAYLOAD_TYPES];
        for (String rtpmap : rtpmaps) {
            parseInto(rtpmap, mapped);
        }
        return new RtpClockRates(mapped);
    }

    /** Clock of {@code payloadType} (the 7-bit PT field of an RTP header), in Hz. */
    public int clockRate(int payloadType) {
        int rate = mapped[payloadType];
        return rate != 0 ? rate : STATIC[payloadType];
    }

    /**
     * These rtpmaps, with {@code other}'s for the payload types these leave unmapped. A stream's packets are
     * looked up in their sender's SDP first: RFC 3264 lets a sender use the numbers its peer's SDP gave instead.
     */
    public RtpClockRates orElse(RtpClockRates other) {
        int[] merged = mapped.clone();
        for (int pt = 0; pt < merged.length; pt++) {
            if (merged[pt] == 0) {
                merged[pt] = other.mapped[pt];
            }
        }
        return new RtpClockRates(merged);
    }

    private static void parseInto(String rtpmap, int[] mapped) {
        String value = rtpmap.strip();
        int space = value.indexOf(' ');
        int slash = value.indexOf('/', space + 1);
        if (space <= 0 || slash < 0 || value.substring(space + 1, slash).isBlank()) {
            return;
        }
        int clockEnd = value.indexOf('/', slash + 1);
        int payloadType = digits(value, 0, space);
        int clockRate = digits(value, slash + 1, clockEnd < 0 ? value.length() : clockEnd);
        if (payloadType >= 0 && payloadType < PAYLOAD_TYPES && clockRate > 0) {
            mapped[payloadType] = clockRate;
        }
    }

    /** The whole number in text[from, to), or -1 when it is not one or exceeds an int. */
    private static int digits(String text, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) n;
    }

    private static int[] staticClockRates() {
        int[] rates = new int[PAYLOAD_TYPES];
        Arrays.fill(rates, FALLBACK_CLOCK_RATE);
        // Audio (table 4): every other assigned type (PCMU 0, GSM 3, G723 4, DVI4 5, LPC 7, PCMA 8, G722 9,
        // QCELP 12, CN 13, G728 15, G729 18) runs at 8000 Hz, G.722 included by the table's own exception.
        rates[6] = 16_000;
        rates[10] = 44_100;
        rates[11] = 44_100;
        rates[14] = 90_000;
        rates[16] = 11_025;
        rates[17] = 22_050;
        // Video (table 5): CelB 25, JPEG 26, nv 28, H261 31, MPV 32, MP2T 33, H263 34.
        for (int pt : new int[] {25, 26, 28, 31, 32, 33, 34}) {
            rates[pt] = 90_000;
        }
        return rates;
    }
}
