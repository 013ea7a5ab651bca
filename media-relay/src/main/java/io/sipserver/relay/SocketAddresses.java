package io.sipserver.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IP literals and {@code host:port} strings, parsed without ever asking DNS (signalling must not block). */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /** The address when {@code host} is an IPv4 or IPv6 literal; empty for a host name or garbage. */
    public static Optional<InetAddress> literal(String host) {
        byte[] v4 = ipv4(host);
        if (v4 != null) {
            try {
                return Optional.of(InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        if (!isIpv6Literal(host)) {
            return Optional.empty();
        }
        try {
            // A dotted quad or a string with ':' is parsed as a literal by the JDK, never looked up.
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses {@code 192.0.2.1:4000} or {@code [2001:db8::1]:4000}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parseHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 address needs brackets: '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535 in '" + text + "'");
        }
        String hostText = host;
        InetAddress address = literal(host).orElseThrow(
                () -> new IllegalArgumentException("not an IP address: '" + hostText + "'"));
        return new InetSocketAddress(address, port);
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The four bytes of a dotted quad (decimal, no leading zeros, each at most 255), or null. Parsed by hand: SDP
     * rewriting asks this for every c= line, and a regular expression cost measurably more per call.
     */
    private static byte[] ipv4(String host) {
        byte[] bytes = new byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && octet < 4) {
                bytes[octet++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return octet == 4 ? bytes : null;
    }

    private static boolean isIpv6Literal(String host) {
        if (host.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
