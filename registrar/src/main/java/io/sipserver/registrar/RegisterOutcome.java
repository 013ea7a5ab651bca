package io.sipserver.registrar;

import java.util.List;

/** What the proxy answers to a REGISTER. */
public sealed interface RegisterOutcome {

    /** 200 OK listing every current binding of the AOR (highest q first) with its expires. */
    record Ok(List<Binding> bindings) implements RegisterOutcome {
    }

    /** 423 Interval Too Brief with {@code Min-Expires: minExpires}. */
    record IntervalTooBrief(int minExpires) implements RegisterOutcome {
    }

    /** 400 Bad Request, the reason phrase saying why. */
    record BadRequest(String reason) implements RegisterOutcome {
    }

    /** 503: the AOR would hold more than {@code max} bindings (as Kamailio answers). */
    record TooManyContacts(int max) implements RegisterOutcome {
    }
}
