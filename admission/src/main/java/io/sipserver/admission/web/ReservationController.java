package io.sipserver.admission.web;

import io.sipserver.admission.Reservation;
import io.sipserver.admission.ReservationBook;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Time-windowed reservations of location bandwidth. */
@RestController
@RequestMapping("/api/reservations")
public class ReservationController {

    /**
     * A reservation as a client sends it; instants in ISO-8601 ({@code 2026-12-01T09:00:00Z}), read here so that a
     * bad one gets a 400 that says which field is wrong.
     */
    public record ReservationRequest(String location, Double bandwidthKbps, String owner, String start,
                                     String end) {
    }

    private final ReservationBook reservations;

    public ReservationController(ReservationBook reservations) {
        this.reservations = reservations;
    }

    @PostMapping
    public ResponseEntity<Reservation> create(@RequestBody ReservationRequest request) {
        if (request.bandwidthKbps() == null) {
            throw new IllegalArgumentException("bandwidthKbps is required");
        }
        Reservation created = reservations.create(request.location(), request.bandwidthKbps(), request.owner(),
                instant("start", request.start()), instant("end", request.end()));
        return ResponseEntity.created(URI.create("/api/reservations/" + created.id())).body(created);
    }

    @GetMapping
    public List<Reservation> list(@RequestParam(required = false) String location) {
        return reservations.list(location);
    }

    @GetMapping("/{id}")
    public Reservation get(@PathVariable String id) {
        return reservations.find(id).orElseThrow(() -> new NoSuchElementException("no reservation '" + id + "'"));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        reservations.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    field + " must be an ISO-8601 instant such as 2026-12-01T09:00:00Z; got '" + text + "'");
        }
    }
}
