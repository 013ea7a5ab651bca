package io.sipserver.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 198.51.100.0/24}, {@code 2001:db8::/32}); a bare
 * address is a /32 (or /128). Immutable and cheap to test against on hot paths.
 */
public final class CidrRange {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private CidrRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses CIDR notation. Only literal addresses are accepted (no name lookups).
     *
     * @throws IllegalArgumentException with a reason when the text is not a valid range
     */
    public static CidrRange parse(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            throw new IllegalArgumentException("empty CIDR range");
        }
        String s = cidr.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        byte[] address = literal(addressPart);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: '" + addressPart + "' in '" + cidr + "'");
        }
        int maxBits = address.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
            }
            if (prefix < 0 || prefix > maxBits) {
                throw new IllegalArgumentException("prefix length out of range 0.." + maxBits + " in '" + cidr + "'");
            }
        }
        return new CidrRange(mask(address, prefix), prefix, s);
    }

    /** True when the text parses as a CIDR range. */
    public static boolean isValid(String cidr) {
        try {
            parse(cidr);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the address lies inside this range (an IPv4 address never matches an IPv6 range). */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Same as {@link #contains(InetAddress)} for raw address bytes. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (address[fullBytes] & m) == (network[fullBytes] & 0xff);
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The range's first address (host bits zero): 4 bytes for IPv4, 16 for IPv6; a copy. */
    public byte[] networkAddress() {
        return network.clone();
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrRange c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        if (!v6 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        if (v6 && !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // Literal-only input (checked above), so this performs no name lookup.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
