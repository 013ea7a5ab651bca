package io.sipserver.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time-windowed reservations of location bandwidth.
 *
 * <p>Creating one checks that, at every instant of its window, it fits the location's budget beside the
 * reservations overlapping it; changes are stored first. For the call path, {@link #active} answers from a
 * precomputed set of the reservations active now, valid until the clock reaches the next start or end.
 */
public final class ReservationBook {

    private static final Comparator<Reservation> BY_START =
            Comparator.comparing(Reservation::start).thenComparing(Reservation::id);

    /** The reservations active during [from, until), by location. */
    private record ActiveSet(Instant from, Instant until, Map<String, List<Reservation>> byLocation) {
        boolean validAt(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    /** The most bandwidth reserved at one instant of a window. */
    private record Peak(long bps, Instant at, int reservations) {
    }

    private final ReservationStore store;
    private final LocationDirectory locations;
    private final Clock clock;
    private final Map<String, Reservation> byId = new ConcurrentHashMap<>();
    private volatile ActiveSet active;

    public ReservationBook(ReservationStore store, LocationDirectory locations, Clock clock) {
        this.store = store;
        this.locations = locations;
        this.clock = clock;
        this.active = activeSetAt(clock.instant());
        locations.addListener(new BudgetGuard());
    }

    /** Replaces the in-memory reservations with the stored ones (at start-up). */
    public synchronized void load() {
        byId.clear();
        store.loadAll().forEach(reservation -> byId.put(reservation.id(), reservation));
        active = activeSetAt(clock.instant());
    }

    /**
     * Sets bandwidth aside.
     *
     * @throws IllegalArgumentException for invalid fields, an unknown location, or a window that has ended
     * @throws ReservationConflictException when the window does not fit the budget beside overlapping reservations
     */
    public Reservation create(String location, double bandwidthKbps, String owner, Instant start, Instant end) {
        Reservation reservation =
                new Reservation(UUID.randomUUID().toString(), location, bandwidthKbps, owner, start, end);
        if (!end.isAfter(clock.instant())) {
            throw new IllegalArgumentException("the window has already ended (end " + end + ")");
        }
        return locations.whileLocationsUnchanged(() -> {
            Location where = locations.find(location)
                    .orElseThrow(() -> new IllegalArgumentException("no location '" + location + "'"));
            requireFits(reservation, where);
            synchronized (this) {
                store.insert(reservation);
                byId.put(reservation.id(), reservation);
                active = activeSetAt(clock.instant());
            }
            return reservation;
        });
    }

    /** Reservations by start, all or those of one location (null = all). */
    public List<Reservation> list(String location) {
        return byId.values().stream()
                .filter(reservation -> location == null || reservation.location().equals(location))
                .sorted(BY_START)
                .toList();
    }

    public Optional<Reservation> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Deletes a reservation; calls drawing from it keep their charges, now counted against the common pool.
     *
     * @throws NoSuchElementException when there is none with that id
     */
    public synchronized void delete(String id) {
        if (!byId.containsKey(id)) {
            throw new NoSuchElementException("no reservation '" + id + "'");
        }
        store.delete(id);
        byId.remove(id);
        active = activeSetAt(clock.instant());
    }

    /**
     * The reservations of a location active now. Call path: one clock read and a map lookup, except when the clock
     * has passed a window's start or end since the last look.
     */
    public List<Reservation> active(String location) {
        Instant now = clock.instant();
        ActiveSet set = active;
        if (!set.validAt(now)) {
            set = refreshActive(now);
        }
        return set.byLocation().getOrDefault(location, List.of());
    }

    private synchronized ActiveSet refreshActive(Instant now) {
        ActiveSet set = active;
        if (!set.validAt(now)) {
            set = activeSetAt(now);
            active = set;
        }
        return set;
    }

    private ActiveSet activeSetAt(Instant now) {
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        Map<String, List<Reservation>> byLocation = new HashMap<>();
        for (Reservation reservation : byId.values()) {
            for (Instant boundary : List.of(reservation.start(), reservation.end())) {
                if (boundary.isAfter(now)) {
                    until = boundary.isBefore(until) ? boundary : until;
                } else {
                    from = boundary.isAfter(from) ? boundary : from;
                }
            }
            if (reservation.activeAt(now)) {
                byLocation.computeIfAbsent(reservation.location(), l -> new ArrayList<>()).add(reservation);
            }
        }
        byLocation.replaceAll((location, reservations) -> List.copyOf(reservations));
        return new ActiveSet(from, until, Map.copyOf(byLocation));
    }

    private void requireFits(Reservation reservation, Location location) {
        if (location.bandwidthKbps() == null) {
            return;
        }
        long budgetBps = location.bandwidthKbps() * 1000;
        Peak peak = peakReserved(location.name(), reservation.start(), reservation.end());
        long left = Math.max(0, budgetBps - peak.bps());
        if (BandwidthLedger.toBps(reservation.bandwidthKbps()) > left) {
            throw new ReservationConflictException(String.format(
                    "%s kbps from %s to %s does not fit location '%s' (budget %d kbps): %s kbps are already "
                            + "reserved at %s by %d overlapping reservation(s), %s kbps are left",
                    kbps(reservation.bandwidthKbps()), reservation.start(), reservation.end(), location.name(),
                    location.bandwidthKbps(), kbps(peak.bps() / 1000.0), peak.at(), peak.reservations(),
                    kbps(left / 1000.0)));
        }
    }

    /**
     * The most bandwidth the location's reservations hold at one instant of [from, to). The sum only grows at a
     * start, so it is enough to look at {@code from} and at the starts inside the window.
     */
    private Peak peakReserved(String location, Instant from, Instant to) {
        List<Reservation> overlapping = byId.values().stream()
                .filter(r -> r.location().equals(location) && r.overlaps(from, to))
                .toList();
        Peak peak = new Peak(0, from, 0);
        for (Reservation candidate : overlapping) {
            Instant at = candidate.start().isAfter(from) ? candidate.start() : from;
            long bps = 0;
            int count = 0;
            for (Reservation r : overlapping) {
                if (r.activeAt(at)) {
                    bps += BandwidthLedger.toBps(r.bandwidthKbps());
                    count++;
                }
            }
            if (bps > peak.bps()) {
                peak = new Peak(bps, at, count);
            }
        }
        return peak;
    }

    private static String kbps(double kbps) {
        return kbps == Math.rint(kbps) ? Long.toString((long) kbps) : Double.toString(kbps);
    }

    /** Keeps location changes consistent with the reservations that depend on them. */
    private final class BudgetGuard implements LocationListener {
        @Override
        public void beforeChange(Location current, Location replacement) {
            if (current == null) {
                return;
            }
            Instant now = clock.instant();
            if (replacement == null) {
                refuseDeletionOrForgetPast(current.name(), now);
            } else if (replacement.bandwidthKbps() != null) {
                Peak peak = peakReserved(current.name(), now, Instant.MAX);
                if (peak.bps() > replacement.bandwidthKbps() * 1000) {
                    throw new AdmissionConflictException(String.format(
                            "location '%s' has %s kbps reserved at %s: a budget of %d kbps is too small; delete "
                                    + "reservations first", current.name(), kbps(peak.bps() / 1000.0), peak.at(),
                            replacement.bandwidthKbps()));
                }
            }
        }

        private void refuseDeletionOrForgetPast(String location, Instant now) {
            List<Reservation> ofLocation = list(location);
            long pending = ofLocation.stream().filter(r -> r.end().isAfter(now)).count();
            if (pending > 0) {
                throw new AdmissionConflictException("location '" + location + "' has " + pending
                        + " reservation(s) that have not ended; delete them first");
            }
            synchronized (ReservationBook.this) {
                for (Reservation past : ofLocation) {
                    store.delete(past.id());
                    byId.remove(past.id());
                }
                active = activeSetAt(now);
            }
        }
    }
}
