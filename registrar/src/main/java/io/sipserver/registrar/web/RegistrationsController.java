package io.sipserver.registrar.web;

import io.sipserver.config.SipProperties;
import io.sipserver.registrar.AddressOfRecord;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.LocationService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registrations: list, look up, delete. {@code {aor}} may be {@code sip:alice@example.com},
 * {@code alice@example.com} or {@code alice} (in {@code sip.domain}).
 */
@RestController
@RequestMapping("/api/registrations")
public class RegistrationsController {

    private final LocationService locations;
    private final SipProperties sip;
    private final Clock clock;

    public RegistrationsController(LocationService locations, SipProperties sip, Clock clock) {
        this.locations = locations;
        this.sip = sip;
        this.clock = clock;
    }

    @GetMapping
    public List<RegistrationView> list() {
        Instant now = clock.instant();
        return locations.all().entrySet().stream()
                .map(e -> RegistrationView.of(e.getKey(), e.getValue(), now))
                .toList();
    }

    @GetMapping("/{aor}")
    public RegistrationView get(@PathVariable String aor) {
        String key = AddressOfRecord.parse(aor, sip.domain());
        List<Binding> bindings = locations.lookup(key);
        if (bindings.isEmpty()) {
            throw notRegistered(key);
        }
        return RegistrationView.of(key, bindings, clock.instant());
    }

    @DeleteMapping("/{aor}")
    public CompletableFuture<ResponseEntity<Void>> delete(@PathVariable String aor) {
        String key = AddressOfRecord.parse(aor, sip.domain());
        return locations.remove(key).thenApply(removed -> {
            if (!removed) {
                throw notRegistered(key);
            }
            return ResponseEntity.noContent().build();
        });
    }

    private static NoSuchElementException notRegistered(String aor) {
        return new NoSuchElementException("no registration for " + aor);
    }
}
