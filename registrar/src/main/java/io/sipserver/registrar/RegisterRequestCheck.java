package io.sipserver.registrar;

import io.sipserver.config.RegistrarProperties;
import java.util.Objects;
import java.util.Optional;

/**
 * Rejections that depend on the REGISTER alone, not on the stored bindings: malformed values (400), the
 * wildcard rules (400) and too brief an expiry (423). Lengths match the columns of {@code sip_binding}.
 */
final class RegisterRequestCheck {

    private static final int MAX_AOR_LENGTH = 256;
    private static final int MAX_CONTACT_URI_LENGTH = 1024;
    private static final int MAX_CALL_ID_LENGTH = 256;
    /** RFC 3261 section 10.3 step 7: only an interval shorter than one hour may be refused as too brief. */
    private static final int MIN_EXPIRES_CEILING = 3600;

    private RegisterRequestCheck() {
    }

    /** The rejection for this request, or empty when the bindings may be updated. */
    static Optional<RegisterOutcome> problem(RegisterRequest r, RegistrarProperties props) {
        Objects.requireNonNull(r.contacts(), "contacts");
        Objects.requireNonNull(r.sourceHost(), "sourceHost");
        Objects.requireNonNull(r.transport(), "transport");
        String reason = badRequestReason(r);
        if (reason != null) {
            return Optional.of(new RegisterOutcome.BadRequest(reason));
        }
        for (ContactSpec contact : r.contacts()) {
            int expires = r.requestedExpires(contact, props.defaultExpires());
            if (expires > 0 && expires < props.minExpires() && expires < MIN_EXPIRES_CEILING) {
                return Optional.of(new RegisterOutcome.IntervalTooBrief(props.minExpires()));
            }
        }
        return Optional.empty();
    }

    private static String badRequestReason(RegisterRequest r) {
        if (r.aor() == null || r.aor().isBlank()) {
            return "Missing address-of-record";
        }
        if (r.aor().length() > MAX_AOR_LENGTH) {
            return "Address-of-record longer than " + MAX_AOR_LENGTH + " characters";
        }
        if (r.callId() == null || r.callId().isBlank()) {
            return "Missing Call-ID";
        }
        if (r.callId().length() > MAX_CALL_ID_LENGTH) {
            return "Call-ID longer than " + MAX_CALL_ID_LENGTH + " characters";
        }
        if (r.cseq() < 0) {
            return "Negative CSeq";
        }
        if (r.expiresHeader() != null && r.expiresHeader() < 0) {
            return "Negative Expires";
        }
        if (r.wildcard()) {
            if (!r.contacts().isEmpty()) {
                return "Contact: * must be the only Contact";
            }
            if (r.expiresHeader() == null || r.expiresHeader() != 0) {
                return "Contact: * requires Expires: 0";
            }
        }
        for (ContactSpec contact : r.contacts()) {
            String reason = contactReason(contact);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static String contactReason(ContactSpec contact) {
        if (contact.uri() == null || contact.uri().isBlank()) {
            return "Empty Contact URI";
        }
        if (contact.uri().length() > MAX_CONTACT_URI_LENGTH) {
            return "Contact URI longer than " + MAX_CONTACT_URI_LENGTH + " characters";
        }
        if (contact.expires() != null && contact.expires() < 0) {
            return "Negative expires parameter in Contact " + contact.uri();
        }
        Float q = contact.q();
        if (q != null && !(q >= 0f && q <= 1f)) {
            return "q must lie between 0 and 1 in Contact " + contact.uri();
        }
        return null;
    }
}
