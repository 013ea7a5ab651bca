package io.sipserver.proxy.sip;

import io.sipserver.registrar.auth.DigestCredentials;
import javax.sip.header.Header;

/**
 * The value of one received Authorization / Proxy-Authorization header, and its Digest parameters parsed once, on
 * first use, by the registrar's {@link DigestCredentials#parse}. Headers in their plain form carry one from the
 * parser ({@link CredentialsHeaders}); for the others it is made from the RI header's encoded value.
 *
 * <p>Immutable once parsed; a race between two threads parsing the same value only parses it twice.
 */
public final class ReceivedCredentials {

    private final String value;
    private volatile Object parsed;

    ReceivedCredentials(String value) {
        this.value = value;
    }

    /** The credentials a header received with a request carries. */
    public static ReceivedCredentials of(Header header) {
        return header instanceof CredentialsHeaders.Received received ? received.credentials()
                : new ReceivedCredentials(SipMessages.headerValue(header));
    }

    /** The header's value as received, e.g. {@code Digest username="alice",realm="example.test",...}. */
    public String value() {
        return value;
    }

    /** The Digest parameters, or null when the value is not well-formed Digest credentials (see {@link #error()}). */
    public DigestCredentials digest() {
        return parsed() instanceof DigestCredentials c ? c : null;
    }

    /** Why {@link DigestCredentials#parse} refused the value, or null when it did not. */
    public IllegalArgumentException error() {
        return parsed() instanceof IllegalArgumentException e ? e : null;
    }

    /** The realm the credentials are for; "" when absent. */
    public String realm() {
        DigestCredentials c = digest();
        return c != null ? c.realm() : parameter("realm");
    }

    /** The user name the credentials claim; "" when absent. */
    public String username() {
        DigestCredentials c = digest();
        return c != null ? c.username() : parameter("username");
    }

    private Object parsed() {
        Object p = parsed;
        if (p == null) {
            try {
                p = DigestCredentials.parse(value);
            } catch (IllegalArgumentException e) {
                p = e;
            }
            parsed = p;
        }
        return p;
    }

    /**
     * A parameter of credentials the Digest parser refused, by a plain scan, unquoted; "" when absent. Malformed
     * credentials for our realm are refused with 403 (and count as a failure of the user they name) rather than
     * challenged, as they always were.
     */
    private String parameter(String name) {
        int i = value == null ? -1 : value.indexOf(name + "=");
        if (i < 0) {
            return "";
        }
        int start = i + name.length() + 1;
        if (start < value.length() && value.charAt(start) == '"') {
            int end = value.indexOf('"', start + 1);
            return end < 0 ? "" : value.substring(start + 1, end);
        }
        int end = value.indexOf(',', start);
        return (end < 0 ? value.substring(start) : value.substring(start, end)).trim();
    }
}
