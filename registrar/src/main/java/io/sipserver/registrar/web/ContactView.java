package io.sipserver.registrar.web;

import io.sipserver.registrar.Binding;
import java.time.Instant;

/**
 * One binding as the API shows it.
 *
 * @param expires seconds left
 * @param source address and port the REGISTER came from (the NAT-facing address)
 */
public record ContactView(String uri, long expires, float q, String source, String transport, String userAgent) {

    static ContactView of(Binding b, Instant now) {
        String host = b.sourceHost().indexOf(':') >= 0 ? "[" + b.sourceHost() + "]" : b.sourceHost();
        return new ContactView(b.contactUri(), b.expiresInSeconds(now), b.q(), host + ":" + b.sourcePort(),
                b.transport(), b.userAgent());
    }
}
