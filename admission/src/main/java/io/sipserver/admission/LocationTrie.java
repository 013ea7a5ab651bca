package io.sipserver.admission;

import io.sipserver.config.CidrRange;
import java.util.Collection;

/**
 * Longest-prefix match of an address against the locations' CIDR ranges: a binary trie per address family,
 * built once per change and then only read (lock-free, no allocation per lookup).
 */
final class LocationTrie {

    private static final class Node {
        private final Node[] children = new Node[2];
        private String location;
    }

    private final Node ipv4 = new Node();
    private final Node ipv6 = new Node();

    LocationTrie(Collection<Location> locations) {
        for (Location location : locations) {
            for (CidrRange range : location.ranges()) {
                insert(range.networkAddress(), range.prefixLength(), location.name());
            }
        }
    }

    /** The location whose range is the most specific one containing the address, or null when none does. */
    String lookup(byte[] address) {
        Node node = address.length == 4 ? ipv4 : ipv6;
        String found = node.location;
        int bits = address.length * 8;
        for (int bit = 0; bit < bits; bit++) {
            node = node.children[(address[bit >>> 3] >>> (7 - (bit & 7))) & 1];
            if (node == null) {
                break;
            }
            if (node.location != null) {
                found = node.location;
            }
        }
        return found;
    }

    private void insert(byte[] network, int prefixLength, String location) {
        Node node = network.length == 4 ? ipv4 : ipv6;
        for (int bit = 0; bit < prefixLength; bit++) {
            int b = (network[bit >>> 3] >>> (7 - (bit & 7))) & 1;
            if (node.children[b] == null) {
                node.children[b] = new Node();
            }
            node = node.children[b];
        }
        node.location = location;
    }
}
