package io.sipserver.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts the relay into an SDP offer or answer (RFC 4566): every {@code c=} address becomes the relay's, every
 * active {@code m=} port (and {@code a=rtcp}, RFC 3605) becomes the relay port facing the receiver of the SDP,
 * and the sender's own addresses are handed to the session as the peers to relay to, with the RTP clocks of its
 * payload types (from {@code a=rtpmap}, for jitter). Works line by line, so
 * whatever it does not rewrite stays byte for byte, line endings (CRLF or LF) included.
 *
 * <p>Left alone: an {@code m=} line with port 0 (rejected stream: no relay work either), and a {@code c=} of
 * {@code 0.0.0.0} or {@code ::} (old-style hold: it stays, and no peer is set). A {@code c=} with a host name
 * instead of an IP literal is rewritten but sets no peer: the relay finds that endpoint by latching. An
 * {@code a=rtpmap} line that does not parse is left as it is and adds no clock rate; it does not refuse the SDP.
 */
public final class SdpRewriter {

    private static final String RTPMAP = "a=rtpmap:";

    /**
     * Rewrites SDP that side {@code from} sent (the caller's offer: {@link Side#A}; the callee's answer:
     * {@link Side#B}) so that the other side sends its media to the relay.
     *
     * @param relayAddress the relay's advertised address (IPv4 or IPv6 literal)
     * @throws IllegalArgumentException when the SDP is malformed (the message names the line and the reason);
     *                                  the session is not touched then
     * @throws RelayPortsExhaustedException when a new m-line needs ports and none are left
     */
    public String rewrite(String sdp, RelaySession session, Side from, String relayAddress)
            throws RelayPortsExhaustedException {
        List<Line> lines = Line.split(sdp);
        Description description = Description.parse(lines);
        String[] rewritten = new String[lines.size()];
        String relayConnection = "IN " + (relayAddress.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + relayAddress;

        for (Connection connection : description.connections) {
            if (!connection.onHold()) {
                rewritten[connection.line] = "c=" + relayConnection;
            }
        }
        for (int index = 0; index < description.media.size(); index++) {
            Media media = description.media.get(index);
            if (media.port == 0) {
                continue;
            }
            Connection connection = media.connection != null ? media.connection : description.sessionConnection;
            RelayStream stream = session.stream(index);
            connection.address().ifPresent(address -> stream.setPeer(from,
                    new InetSocketAddress(address, media.port), media.rtcpPeer(address)));
            stream.setClockRates(from, RtpClockRates.fromRtpmaps(media.rtpmaps));
            int relayPort = stream.rtpPort(from.other());
            rewritten[media.line] = media.withPort(lines.get(media.line).text, relayPort);
            if (media.rtcp != null) {
                rewritten[media.rtcp.line] = "a=rtcp:" + (relayPort + 1)
                        + (media.rtcp.address != null ? " " + relayConnection : "");
            }
        }

        StringBuilder out = new StringBuilder(sdp.length() + 64);
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            out.append(rewritten[i] != null ? rewritten[i] : line.text).append(line.ending);
        }
        return out.toString();
    }

    /** One SDP line without its ending, and the ending ("\r\n", "\n", or "" for an unterminated last line). */
    private record Line(String text, String ending) {

        static List<Line> split(String sdp) {
            List<Line> lines = new ArrayList<>();
            int start = 0;
            while (start < sdp.length()) {
                int newline = sdp.indexOf('\n', start);
                if (newline < 0) {
                    lines.add(new Line(sdp.substring(start), ""));
                    break;
                }
                int end = newline > start && sdp.charAt(newline - 1) == '\r' ? newline - 1 : newline;
                lines.add(new Line(sdp.substring(start, end), sdp.substring(end, newline + 1)));
                start = newline + 1;
            }
            return lines;
        }
    }

    /** A {@code c=} line: its index and address (without any multicast /ttl suffix). */
    private record Connection(int line, String host) {

        static Connection parse(int line, String text) {
            String[] fields = text.substring(2).split(" ");
            if (fields.length != 3 || !fields[0].equals("IN") || !(fields[1].equals("IP4") || fields[1].equals("IP6"))) {
                throw new IllegalArgumentException("malformed c= line " + (line + 1) + ": '" + text + "'");
            }
            int slash = fields[2].indexOf('/');
            return new Connection(line, slash < 0 ? fields[2] : fields[2].substring(0, slash));
        }

        boolean onHold() {
            return SocketAddresses.literal(host).map(InetAddress::isAnyLocalAddress).orElse(false);
        }

        /** The peer's address: empty on hold or for a host name. */
        Optional<InetAddress> address() {
            return SocketAddresses.literal(host).filter(address -> !address.isAnyLocalAddress());
        }
    }

    /** An {@code a=rtcp:<port> [IN IP4 <address>]} line. */
    private record Rtcp(int line, int port, String address) {

        static Rtcp parse(int line, String text) {
            String[] fields = text.substring("a=rtcp:".length()).split(" ");
            if (fields.length != 1 && fields.length != 4) {
                throw new IllegalArgumentException("malformed a=rtcp line " + (line + 1) + ": '" + text + "'");
            }
            return new Rtcp(line, parsePort(fields[0], line, text), fields.length == 4 ? fields[3] : null);
        }
    }

    /**
     * One media section: its {@code m=} line, port, the {@code c=} and {@code a=rtcp} lines inside it, and the
     * values of its {@code a=rtpmap} lines.
     */
    private static final class Media {
        final int line;
        final int port;
        final int portStart;
        final int portEnd;
        Connection connection;
        Rtcp rtcp;
        final List<String> rtpmaps = new ArrayList<>(4);

        private Media(int line, int port, int portStart, int portEnd) {
            this.line = line;
            this.port = port;
            this.portStart = portStart;
            this.portEnd = portEnd;
        }

        static Media parse(int line, String text) {
            String[] fields = text.substring(2).split(" ");
            if (fields.length < 4 || fields[0].isEmpty()) {
                throw new IllegalArgumentException(
                        "malformed m= line " + (line + 1) + " (want 'm=<media> <port> <proto> <fmt>...'): '" + text + "'");
            }
            int portStart = 2 + fields[0].length() + 1;
            int slash = fields[1].indexOf('/');
            String port = slash < 0 ? fields[1] : fields[1].substring(0, slash);
            return new Media(line, parsePort(port, line, text), portStart, portStart + port.length());
        }

        String withPort(String text, int newPort) {
            return text.substring(0, portStart) + newPort + text.substring(portEnd);
        }

        /** The RTCP peer from {@code a=rtcp}, or null (RTP port + 1). */
        InetSocketAddress rtcpPeer(InetAddress mediaAddress) {
            if (rtcp == null) {
                return null;
            }
            InetAddress address = rtcp.address == null ? mediaAddress
                    : SocketAddresses.literal(rtcp.address).filter(a -> !a.isAnyLocalAddress()).orElse(mediaAddress);
            return new InetSocketAddress(address, rtcp.port);
        }
    }

    /** The lines the rewriter cares about, found and checked before anything is changed. */
    private static final class Description {
        final List<Connection> connections = new ArrayList<>();
        final List<Media> media = new ArrayList<>();
        Connection sessionConnection;

        static Description parse(List<Line> lines) {
            Description description = new Description();
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).text;
                Media current = description.media.isEmpty() ? null : description.media.get(description.media.size() - 1);
                if (text.startsWith("m=")) {
                    description.media.add(Media.parse(i, text));
                } else if (text.startsWith("c=")) {
                    Connection connection = Connection.parse(i, text);
                    description.connections.add(connection);
                    if (current == null) {
                        description.sessionConnection = connection;
                    } else {
                        current.connection = connection;
                    }
                } else if (text.startsWith("a=rtcp:") && current != null) {
                    if (current.rtcp != null) {
                        throw new IllegalArgumentException("second a=rtcp line in one media section, line " + (i + 1));
                    }
                    current.rtcp = Rtcp.parse(i, text);
                } else if (text.startsWith(RTPMAP) && current != null) {
                    current.rtpmaps.add(text.substring(RTPMAP.length()));
                }
            }
            for (int index = 0; index < description.media.size(); index++) {
                Media media = description.media.get(index);
                if (media.port != 0 && media.connection == null && description.sessionConnection == null) {
                    throw new IllegalArgumentException("m= line " + (index + 1) + " has no c= line, nor has the session");
                }
            }
            return description;
        }
    }

    private static int parsePort(String port, int line, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 0 && value <= 65535 && port.charAt(0) != '+') {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + port + "' on line " + (line + 1) + ": '" + text + "'");
    }
}
