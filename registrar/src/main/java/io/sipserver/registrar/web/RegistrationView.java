package io.sipserver.registrar.web;

import io.sipserver.registrar.Binding;
import java.time.Instant;
import java.util.List;

/** An address-of-record with its contacts, highest q first. */
public record RegistrationView(String aor, List<ContactView> contacts) {

    static RegistrationView of(String aor, List<Binding> bindings, Instant now) {
        return new RegistrationView(aor, bindings.stream().map(b -> ContactView.of(b, now)).toList());
    }
}
