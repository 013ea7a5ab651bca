package io.sipserver.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * One contact bound to an address-of-record (RFC 3261 section 10), with the network address the REGISTER
 * actually came from, which is where requests must go when the contact sits behind NAT.
 *
 * @param aor address-of-record, {@code sip:user@domain}
 * @param contactUri the Contact URI as the client sent it
 * @param expiresAt when the binding stops being valid
 * @param q preference among the AOR's contacts, 0 to 1
 * @param callId Call-ID of the REGISTER that made or last refreshed the binding
 * @param cseq CSeq number of that REGISTER
 * @param sourceHost IP address the REGISTER came from
 * @param sourcePort port the REGISTER came from
 * @param transport transport it came over (UDP, TCP)
 * @param userAgent the User-Agent header, or null
 * @param updatedAt when the binding was last written
 */
public record Binding(String aor, String contactUri, Instant expiresAt, float q, String callId, long cseq,
        String sourceHost, int sourcePort, String transport, String userAgent, Instant updatedAt) {

    /** Highest q first; among equals the most recently refreshed, as forking tries it first. */
    public static final Comparator<Binding> BY_PREFERENCE = Comparator.comparingDouble((Binding b) -> -b.q())
            .thenComparing(Binding::updatedAt, Comparator.reverseOrder())
            .thenComparing(Binding::contactUri);

    /** Whole seconds left, rounded up so that a live binding never reports 0 (which means "removed"). */
    public long expiresInSeconds(Instant now) {
        Duration left = Duration.between(now, expiresAt);
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        return left.getNano() == 0 ? left.getSeconds() : left.getSeconds() + 1;
    }

    public boolean isLiveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
