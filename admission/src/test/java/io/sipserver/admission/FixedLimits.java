package io.sipserver.admission;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Budgets and active reservations set by a test. */
final class FixedLimits implements LocationLimits {

    private final Map<String, Long> budgets = new ConcurrentHashMap<>();
    private final Map<String, List<Reservation>> active = new ConcurrentHashMap<>();

    FixedLimits budget(String location, long kbps) {
        budgets.put(location, kbps);
        return this;
    }

    FixedLimits active(String location, Reservation... reservations) {
        active.put(location, List.of(reservations));
        return this;
    }

    @Override
    public Long budgetKbps(String location) {
        return budgets.get(location);
    }

    @Override
    public List<Reservation> activeReservations(String location) {
        return active.getOrDefault(location, List.of());
    }
}
