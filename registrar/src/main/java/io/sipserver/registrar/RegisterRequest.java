package io.sipserver.registrar;

import java.util.List;

/**
 * A REGISTER, reduced to the values the registrar needs.
 *
 * @param aor normalised address-of-record, {@code sip:user@domain} (see {@link AddressOfRecord#of})
 * @param wildcard true for {@code Contact: *}
 * @param contacts the Contacts; empty for a query (or for {@code *})
 * @param expiresHeader the Expires header value, or null when absent
 * @param callId the Call-ID
 * @param cseq the CSeq number
 * @param sourceHost IP address the request came from
 * @param sourcePort port the request came from
 * @param transport transport it came over (UDP, TCP)
 * @param userAgent the User-Agent header, or null
 */
public record RegisterRequest(String aor, boolean wildcard, List<ContactSpec> contacts, Integer expiresHeader,
        String callId, long cseq, String sourceHost, int sourcePort, String transport, String userAgent) {

    /** Expiry asked for one contact: its own parameter, else the Expires header, else the server default. */
    public int requestedExpires(ContactSpec contact, int defaultExpires) {
        if (contact.expires() != null) {
            return contact.expires();
        }
        return expiresHeader != null ? expiresHeader : defaultExpires;
    }
}
