package io.sipserver.admission;

import java.util.List;

/** Durable storage of locations. Writes are admin operations and complete before they return. */
public interface LocationStore {

    List<Location> loadAll();

    /** Inserts the location, or replaces the one with its name. */
    void save(Location location);

    void delete(String name);
}
