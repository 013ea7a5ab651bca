package io.sipserver.admission;

import java.util.List;

/** Durable storage of reservations. Writes are admin operations and complete before they return. */
public interface ReservationStore {

    List<Reservation> loadAll();

    void insert(Reservation reservation);

    void delete(String id);
}
