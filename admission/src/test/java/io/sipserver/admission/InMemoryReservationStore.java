package io.sipserver.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A reservation store for tests that need no database. */
public final class InMemoryReservationStore implements ReservationStore {

    final Map<String, Reservation> saved = new ConcurrentHashMap<>();

    @Override
    public List<Reservation> loadAll() {
        return new ArrayList<>(saved.values());
    }

    @Override
    public void insert(Reservation reservation) {
        saved.put(reservation.id(), reservation);
    }

    @Override
    public void delete(String id) {
        saved.remove(id);
    }
}
