package io.sipserver.admission;

import java.util.List;

/** What the {@link BandwidthLedger} needs to know about a location when it charges a call. Both are hot-path reads. */
public interface LocationLimits {

    /** The location's budget in kbps; null when unlimited (or the location no longer exists). */
    Long budgetKbps(String location);

    /**
     * The reservations active now at the location. The same list instance is returned for as long as that set does
     * not change, which lets the ledger skip re-reading it.
     */
    List<Reservation> activeReservations(String location);

    /** Budgets from the directory, reservations from the book. */
    static LocationLimits of(LocationDirectory locations, ReservationBook reservations) {
        return new LocationLimits() {
            @Override
            public Long budgetKbps(String location) {
                return locations.find(location).map(Location::bandwidthKbps).orElse(null);
            }

            @Override
            public List<Reservation> activeReservations(String location) {
                return reservations.active(location);
            }
        };
    }
}
