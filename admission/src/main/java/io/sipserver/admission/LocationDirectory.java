package io.sipserver.admission;

import io.sipserver.config.CidrRange;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The locations, and which one an address belongs to.
 *
 * <p>Reads ({@link #locationOf}, {@link #find}) use an immutable snapshot that each change replaces, so the call
 * path takes no lock. Changes are serialised, stored first, then made visible.
 */
public final class LocationDirectory {

    private record Snapshot(Map<String, Location> byName, LocationTrie trie) {
        static Snapshot of(Collection<Location> locations) {
            Map<String, Location> byName = new TreeMap<>();
            locations.forEach(location -> byName.put(location.name(), location));
            byName.putIfAbsent(Location.DEFAULT, Location.unlimitedDefault());
            return new Snapshot(Collections.unmodifiableMap(byName), new LocationTrie(byName.values()));
        }
    }

    private final LocationStore store;
    private final Object writeLock = new Object();
    private final List<LocationListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = Snapshot.of(List.of());

    public LocationDirectory(LocationStore store) {
        this.store = store;
    }

    /** Replaces the in-memory locations with the stored ones (at start-up). */
    public void load() {
        synchronized (writeLock) {
            snapshot = Snapshot.of(store.loadAll());
        }
    }

    /**
     * The location of an endpoint that signals from this address: the one with the most specific range containing
     * it, else {@link Location#DEFAULT}.
     */
    public String locationOf(InetAddress source) {
        String location = snapshot.trie().lookup(source.getAddress());
        return location != null ? location : Location.DEFAULT;
    }

    /** All locations, by name; {@link Location#DEFAULT} is always among them. */
    public List<Location> list() {
        return List.copyOf(snapshot.byName().values());
    }

    public Optional<Location> find(String name) {
        return Optional.ofNullable(snapshot.byName().get(name));
    }

    /**
     * Adds a location.
     *
     * @throws AdmissionConflictException when the name exists or one of its ranges belongs to another location
     */
    public Location create(Location location) {
        synchronized (writeLock) {
            if (snapshot.byName().containsKey(location.name())) {
                throw new AdmissionConflictException("location '" + location.name() + "' already exists");
            }
            requireRangesFree(location);
            return change(null, location);
        }
    }

    /**
     * Replaces a location's ranges and budget.
     *
     * @throws NoSuchElementException when there is no location of that name
     * @throws AdmissionConflictException when one of its ranges belongs to another location, or a listener (the
     *     reservations) refuses the new budget
     */
    public Location update(Location location) {
        synchronized (writeLock) {
            Location current = existing(location.name());
            requireRangesFree(location);
            return change(current, location);
        }
    }

    /**
     * Deletes a location; its endpoints fall back to {@link Location#DEFAULT}. Live calls keep their charges.
     *
     * @throws IllegalArgumentException for {@link Location#DEFAULT}
     * @throws NoSuchElementException when there is no location of that name
     * @throws AdmissionConflictException when a listener refuses (reservations that have not ended)
     */
    public void delete(String name) {
        if (Location.DEFAULT.equals(name)) {
            throw new IllegalArgumentException("the default location cannot be deleted");
        }
        synchronized (writeLock) {
            change(existing(name), null);
        }
    }

    public void addListener(LocationListener listener) {
        listeners.add(listener);
    }

    /** Runs the action while no location can be created, changed or deleted (for checks against budgets). */
    public <T> T whileLocationsUnchanged(Supplier<T> action) {
        synchronized (writeLock) {
            return action.get();
        }
    }

    private Location existing(String name) {
        Location current = snapshot.byName().get(name);
        if (current == null) {
            throw new NoSuchElementException("no location '" + name + "'");
        }
        return current;
    }

    private void requireRangesFree(Location location) {
        List<CidrRange> ranges = location.ranges();
        for (Location other : snapshot.byName().values()) {
            if (other.name().equals(location.name())) {
                continue;
            }
            for (CidrRange range : other.ranges()) {
                if (ranges.contains(range)) {
                    throw new AdmissionConflictException(
                            "range " + range + " already belongs to location '" + other.name() + "'");
                }
            }
        }
    }

    private Location change(Location current, Location replacement) {
        listeners.forEach(listener -> listener.beforeChange(current, replacement));
        Map<String, Location> byName = new TreeMap<>(snapshot.byName());
        if (replacement != null) {
            store.save(replacement);
            byName.put(replacement.name(), replacement);
        } else {
            store.delete(current.name());
            byName.remove(current.name());
        }
        snapshot = Snapshot.of(byName.values());
        listeners.forEach(listener -> listener.afterChange(current, replacement));
        return replacement;
    }
}
