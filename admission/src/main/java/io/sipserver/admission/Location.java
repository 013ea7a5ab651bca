package io.sipserver.admission;

import io.sipserver.config.CidrRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A site: the address ranges its endpoints signal from, and the bandwidth of its WAN link.
 *
 * @param name unique name, usable in a URL path
 * @param cidrs its address ranges in CIDR notation; empty for {@link #DEFAULT}, which holds every other address
 * @param bandwidthKbps the link's rate per direction, the budget of the calls charged here; null = unlimited
 */
public record Location(String name, List<String> cidrs, Long bandwidthKbps) {

    /** The built-in location of every address outside the others' ranges; it always exists. */
    public static final String DEFAULT = "default";

    /** 1 Tbit/s: above any WAN link, and far from overflowing the ledger's bit/s arithmetic. */
    public static final long MAX_BANDWIDTH_KBPS = 1_000_000_000L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** @throws IllegalArgumentException naming the first invalid field */
    public Location {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("location name must be 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit; got '" + name + "'");
        }
        List<String> trimmed = new ArrayList<>();
        Set<CidrRange> seen = new HashSet<>();
        for (String cidr : cidrs == null ? List.<String>of() : cidrs) {
            CidrRange range = CidrRange.parse(cidr);
            if (!seen.add(range)) {
                throw new IllegalArgumentException("location '" + name + "' lists " + cidr + " twice");
            }
            trimmed.add(cidr.trim());
        }
        cidrs = List.copyOf(trimmed);
        if (bandwidthKbps != null && (bandwidthKbps < 0 || bandwidthKbps > MAX_BANDWIDTH_KBPS)) {
            throw new IllegalArgumentException("bandwidthKbps must be between 0 and " + MAX_BANDWIDTH_KBPS
                    + " (or absent for unlimited); got " + bandwidthKbps);
        }
        if (DEFAULT.equals(name) && !cidrs.isEmpty()) {
            throw new IllegalArgumentException("the default location takes no CIDR ranges: it holds every address "
                    + "outside the other locations");
        }
    }

    /** The default location as it is before an operator gives it a budget. */
    public static Location unlimitedDefault() {
        return new Location(DEFAULT, List.of(), null);
    }

    /** The parsed {@link #cidrs}. */
    public List<CidrRange> ranges() {
        return cidrs.stream().map(CidrRange::parse).toList();
    }
}
