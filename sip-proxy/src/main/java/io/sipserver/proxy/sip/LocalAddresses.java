package io.sipserver.proxy.sip;

import io.sipserver.config.SipProperties;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's own identity on the network: the address it advertises in Via and Record-Route, and the set of host
 * names and addresses under which it is addressed (its domain and its own addresses).
 */
public final class LocalAddresses {

    private final String advertisedHost;
    private final int port;
    private final String domain;
    private final Set<String> servedHosts;

    public LocalAddresses(String advertisedHost, int port, String domain, Set<String> ownHosts) {
        this.advertisedHost = advertisedHost;
        this.port = port;
        this.domain = domain.toLowerCase(Locale.ROOT);
        Set<String> hosts = new TreeSet<>();
        for (String h : ownHosts) {
            hosts.add(normalise(h));
        }
        hosts.add(normalise(advertisedHost));
        hosts.add(this.domain);
        this.servedHosts = Collections.unmodifiableSet(hosts);
    }

    /** Derives the advertised address and own addresses from {@code sip.*}. */
    public static LocalAddresses from(SipProperties sip) {
        Set<String> own = new TreeSet<>();
        boolean wildcard = "0.0.0.0".equals(sip.host()) || "::".equals(sip.host());
        if (wildcard) {
            own.addAll(interfaceAddresses());
        } else {
            own.add(sip.host());
        }
        String advertised = sip.advertisedAddress();
        if (advertised == null || advertised.isBlank()) {
            advertised = wildcard ? firstPublicLookingAddress(own) : sip.host();
        }
        return new LocalAddresses(advertised, sip.port(), sip.domain(), own);
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int port() {
        return port;
    }

    public String domain() {
        return domain;
    }

    /**
     * True when a URI with this host and port addresses us: our domain (any port), or one of our own addresses
     * with no port or our port.
     */
    public boolean isServed(String host, int uriPort) {
        if (host == null) {
            return false;
        }
        String h = normalise(host);
        return servedHosts.contains(h) && (uriPort <= 0 || uriPort == port || h.equals(domain));
    }

    /** True when host:port is this server itself: a Route or Via naming us (a missing port means 5060). */
    public boolean isSelf(String host, int uriPort) {
        if (host == null) {
            return false;
        }
        String h = normalise(host);
        return servedHosts.contains(h) && ((uriPort > 0 ? uriPort : 5060) == port || h.equals(domain));
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }

    private static List<String> interfaceAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(zone < 0 ? text : text.substring(0, zone));
                }
            }
        } catch (SocketException e) {
            out.add("127.0.0.1");
        }
        return out;
    }

    private static String firstPublicLookingAddress(Set<String> own) {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return own.contains("127.0.0.1") ? "127.0.0.1" : own.iterator().next();
    }
}
