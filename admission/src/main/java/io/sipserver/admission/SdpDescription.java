package io.sipserver.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an SDP body (RFC 8866) that decide its bandwidth: per m-line the media type, port, formats, address
 * family, {@code b=AS}/{@code b=TIAS}, {@code a=ptime}, {@code a=maxprate}, {@code a=rtpmap} and {@code a=fmtp}.
 *
 * <p>A line-based parse rather than JAIN-SIP's {@code SdpFactory}: it runs on every INVITE, and reading only the
 * lines that matter is several times cheaper than building the full object model (see the module's report).
 */
final class SdpDescription {

    /** Values above these are typos or attacks, not links; they also keep the bps arithmetic far from overflow. */
    static final long MAX_AS_KBPS = 1_000_000_000L;
    static final long MAX_TIAS_BPS = MAX_AS_KBPS * 1000;
    private static final double MAX_PTIME_MS = 10_000;

    /** Not given. */
    static final long ABSENT = -1;

    final boolean ipv6;
    final long asKbps;
    final long tiasBps;
    final double maxPacketRate;
    final List<Media> media;

    private SdpDescription(boolean ipv6, long asKbps, long tiasBps, double maxPacketRate, List<Media> media) {
        this.ipv6 = ipv6;
        this.asKbps = asKbps;
        this.tiasBps = tiasBps;
        this.maxPacketRate = maxPacketRate;
        this.media = media;
    }

    /** One m-line with its media-level lines (session-level c= and a=ptime already inherited). */
    static final class Media {
        final String type;
        final int port;
        final List<String> formats;
        boolean ipv6;
        long asKbps = ABSENT;
        long tiasBps = ABSENT;
        double ptimeMs;
        double maxPacketRate = ABSENT;
        /** payload type -> upper-case encoding name from a=rtpmap. */
        final Map<String, String> encodings = new HashMap<>(8);
        /** payload type -> a=fmtp parameters. */
        final Map<String, String> formatParameters = new HashMap<>(4);

        private Media(String type, int port, List<String> formats, boolean ipv6, double ptimeMs) {
            this.type = type;
            this.port = port;
            this.formats = formats;
            this.ipv6 = ipv6;
            this.ptimeMs = ptimeMs;
        }

        /** A stream with port 0 is disabled or rejected and carries no media. */
        boolean active() {
            return port != 0;
        }
    }

    /**
     * Parses an SDP body.
     *
     * @param defaultPtimeMs packet interval of m-lines that name none
     * @throws IllegalArgumentException naming the first line that is not valid SDP
     */
    static SdpDescription parse(String sdp, double defaultPtimeMs) {
        boolean sessionIpv6 = false;
        long sessionAs = ABSENT;
        long sessionTias = ABSENT;
        double sessionMaxPacketRate = ABSENT;
        double sessionPtime = defaultPtimeMs;
        List<Media> media = new ArrayList<>(2);
        Media current = null;
        int lineNumber = 0;
        boolean started = false;
        int length = sdp.length();
        int pos = 0;
        while (pos < length) {
            int eol = sdp.indexOf('\n', pos);
            int next = eol < 0 ? length : eol + 1;
            int end = eol < 0 ? length : eol;
            if (end > pos && sdp.charAt(end - 1) == '\r') {
                end--;
            }
            lineNumber++;
            if (end == pos) {
                pos = next;
                continue;
            }
            String line = sdp.substring(pos, end);
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw bad(lineNumber, "is not <type>=<value>", line);
            }
            char type = line.charAt(0);
            if (!started && !line.equals("v=0")) {
                throw new IllegalArgumentException("SDP must start with 'v=0'");
            }
            started = true;
            String value = line.substring(2);
            switch (type) {
                case 'm' -> {
                    current = mediaLine(value, lineNumber, line, sessionIpv6, sessionPtime);
                    media.add(current);
                }
                case 'c' -> {
                    boolean v6 = isIpv6(value, lineNumber, line);
                    if (current == null) {
                        sessionIpv6 = v6;
                    } else {
                        current.ipv6 = v6;
                    }
                }
                case 'b' -> {
                    if (value.startsWith("AS:")) {
                        long as = number(value.substring(3), MAX_AS_KBPS, lineNumber, line);
                        if (current == null) {
                            sessionAs = as;
                        } else {
                            current.asKbps = as;
                        }
                    } else if (value.startsWith("TIAS:")) {
                        long tias = number(value.substring(5), MAX_TIAS_BPS, lineNumber, line);
                        if (current == null) {
                            sessionTias = tias;
                        } else {
                            current.tiasBps = tias;
                        }
                    }
                }
                case 'a' -> {
                    if (value.startsWith("ptime:")) {
                        double ptime = decimal(value.substring(6), MAX_PTIME_MS, lineNumber, line);
                        if (current == null) {
                            sessionPtime = ptime;
                        } else {
                            current.ptimeMs = ptime;
                        }
                    } else if (value.startsWith("maxprate:")) {
                        double rate = decimal(value.substring(9), MAX_TIAS_BPS, lineNumber, line);
                        if (current == null) {
                            sessionMaxPacketRate = rate;
                        } else {
                            current.maxPacketRate = rate;
                        }
                    } else if (current != null && value.startsWith("rtpmap:")) {
                        int space = value.indexOf(' ');
                        int slash = space < 0 ? -1 : value.indexOf('/', space);
                        String name = space < 0 ? ""
                                : value.substring(space + 1, slash < 0 ? value.length() : slash).trim();
                        if (name.isEmpty()) {
                            throw bad(lineNumber, "has no encoding name", line);
                        }
                        current.encodings.put(value.substring(7, space), name.toUpperCase(Locale.ROOT));
                    } else if (current != null && value.startsWith("fmtp:")) {
                        int space = value.indexOf(' ');
                        if (space > 5) {
                            current.formatParameters.put(value.substring(5, space), value.substring(space + 1));
                        }
                    }
                }
                default -> {
                    // v, o, s, t, i, u, e, p, k, r, z: nothing to do with bandwidth
                }
            }
            pos = next;
        }
        if (!started) {
            throw new IllegalArgumentException("SDP is empty");
        }
        return new SdpDescription(sessionIpv6, sessionAs, sessionTias, sessionMaxPacketRate, media);
    }

    private static Media mediaLine(String value, int lineNumber, String line, boolean ipv6, double ptimeMs) {
        List<String> fields = fields(value);
        if (fields.size() < 4) {
            throw bad(lineNumber, "needs <media> <port> <proto> <format>...", line);
        }
        String portText = fields.get(1);
        int slash = portText.indexOf('/');
        long port = number(slash < 0 ? portText : portText.substring(0, slash), 65535, lineNumber, line);
        return new Media(fields.get(0).toLowerCase(Locale.ROOT), (int) port, fields.subList(3, fields.size()), ipv6,
                ptimeMs);
    }

    private static boolean isIpv6(String value, int lineNumber, String line) {
        List<String> fields = fields(value);
        if (fields.size() < 3 || !fields.get(0).equals("IN")) {
            throw bad(lineNumber, "needs IN <IP4|IP6> <address>", line);
        }
        return switch (fields.get(1)) {
            case "IP4" -> false;
            case "IP6" -> true;
            default -> throw bad(lineNumber, "has an unknown address type", line);
        };
    }

    /** Space-separated fields; cheaper than a regex split on this path. */
    private static List<String> fields(String value) {
        List<String> fields = new ArrayList<>(8);
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && value.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && value.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                fields.add(value.substring(start, i));
            }
        }
        return fields;
    }

    private static long number(String text, long max, int lineNumber, String line) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 19) {
            throw bad(lineNumber, "needs a number", line);
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(lineNumber, "needs a whole number", line);
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                throw bad(lineNumber, "has a value above " + max, line);
            }
        }
        return n;
    }

    private static double decimal(String text, double max, int lineNumber, String line) {
        double d;
        try {
            d = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw bad(lineNumber, "needs a number", line);
        }
        if (!(d > 0) || d > max) {
            throw bad(lineNumber, "needs a number in (0, " + (long) max + "]", line);
        }
        return d;
    }

    private static IllegalArgumentException bad(int lineNumber, String problem, String line) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return new IllegalArgumentException("SDP line " + lineNumber + " " + problem + ": '" + shown + "'");
    }
}
