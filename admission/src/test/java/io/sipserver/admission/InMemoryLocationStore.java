package io.sipserver.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A location store for tests that need no database. */
public final class InMemoryLocationStore implements LocationStore {

    final Map<String, Location> saved = new ConcurrentHashMap<>();

    @Override
    public List<Location> loadAll() {
        return new ArrayList<>(saved.values());
    }

    @Override
    public void save(Location location) {
        saved.put(location.name(), location);
    }

    @Override
    public void delete(String name) {
        saved.remove(name);
    }
}
