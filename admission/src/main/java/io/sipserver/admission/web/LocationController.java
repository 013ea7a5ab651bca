package io.sipserver.admission.web;

import io.sipserver.admission.CallAdmission;
import io.sipserver.admission.Location;
import io.sipserver.admission.LocationDirectory;
import io.sipserver.admission.LocationUsage;
import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Locations (sites with a bandwidth budget) and their live usage. */
@RestController
@RequestMapping("/api/locations")
public class LocationController {

    /**
     * A location as a client sends it.
     *
     * @param name required on POST; on PUT it may be left out, and must match the path when given
     * @param bandwidthKbps the budget per direction; absent = unlimited
     */
    public record LocationRequest(String name, List<String> cidrs, Long bandwidthKbps) {
    }

    /** A location with its live usage (see {@link LocationUsage}). */
    public record LocationView(String name, List<String> cidrs, Long bandwidthKbps, double usedKbps,
                               double reservedKbps, Double availableKbps) {
    }

    private final LocationDirectory locations;
    private final CallAdmission admission;

    public LocationController(LocationDirectory locations, CallAdmission admission) {
        this.locations = locations;
        this.admission = admission;
    }

    @GetMapping
    public List<LocationView> list() {
        return locations.list().stream().map(this::view).toList();
    }

    @PostMapping
    public ResponseEntity<LocationView> create(@RequestBody LocationRequest request) {
        Location created = locations.create(new Location(request.name(), request.cidrs(), request.bandwidthKbps()));
        return ResponseEntity.created(URI.create("/api/locations/" + created.name())).body(view(created));
    }

    @GetMapping("/{name}")
    public LocationView get(@PathVariable String name) {
        return view(locations.find(name).orElseThrow(() -> new NoSuchElementException("no location '" + name + "'")));
    }

    @PutMapping("/{name}")
    public LocationView update(@PathVariable String name, @RequestBody LocationRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new IllegalArgumentException("name in the body ('" + request.name()
                    + "') differs from the path ('" + name + "'); locations cannot be renamed");
        }
        return view(locations.update(new Location(name, request.cidrs(), request.bandwidthKbps())));
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        locations.delete(name);
        return ResponseEntity.noContent().build();
    }

    private LocationView view(Location location) {
        LocationUsage usage = admission.usage(location.name());
        return new LocationView(location.name(), location.cidrs(), location.bandwidthKbps(), usage.usedKbps(),
                usage.reservedKbps(), usage.availableKbps());
    }
}
