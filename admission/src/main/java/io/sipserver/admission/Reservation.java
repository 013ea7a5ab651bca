package io.sipserver.admission;

import java.time.Instant;

/**
 * Bandwidth of a location set aside for one owner during a window: while it is active, calls of others cannot
 * use it, and calls of its owner draw from it before the common pool.
 *
 * @param id unique id, given at creation
 * @param location the location whose budget it takes from
 * @param bandwidthKbps how much, per direction
 * @param owner the user whose calls (as caller or callee) may use it
 * @param start first instant of the window
 * @param end end of the window (exclusive)
 */
public record Reservation(String id, String location, double bandwidthKbps, String owner, Instant start,
                          Instant end) {

    public static final int MAX_OWNER_LENGTH = 128;

    /** Windows outside these bounds are typos; the bounds also fit every SQL timestamp type. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** @throws IllegalArgumentException naming the first invalid field */
    public Reservation {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("reservation id is required");
        }
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("location is required");
        }
        if (!(bandwidthKbps > 0) || bandwidthKbps > Location.MAX_BANDWIDTH_KBPS) {
            throw new IllegalArgumentException("bandwidthKbps must be positive and at most "
                    + Location.MAX_BANDWIDTH_KBPS + "; got " + bandwidthKbps);
        }
        if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER_LENGTH) {
            throw new IllegalArgumentException("owner is required (a user name of at most " + MAX_OWNER_LENGTH
                    + " characters)");
        }
        if (start == null || end == null) {
            throw new IllegalArgumentException("start and end are required");
        }
        if (start.isBefore(EARLIEST) || end.isAfter(LATEST)) {
            throw new IllegalArgumentException("start and end must lie between " + EARLIEST + " and " + LATEST);
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end (" + end + ") must be after start (" + start + ")");
        }
    }

    /** True when the instant lies inside the window. */
    public boolean activeAt(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** True when the window shares an instant with [from, to). */
    public boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && from.isBefore(end);
    }
}
