package io.sipserver.registrar;

import java.util.Locale;

/** Addresses-of-record in their one normalised form, {@code sip:user@domain} with a lowercase domain. */
public final class AddressOfRecord {

    private AddressOfRecord() {
    }

    /** The normalised AOR of a user in a domain. */
    public static String of(String user, String domain) {
        return "sip:" + user + "@" + domain.toLowerCase(Locale.ROOT);
    }

    /**
     * The user part of {@code sip:user@domain}: the digest username allowed to register it.
     *
     * @throws IllegalArgumentException when the text has no user part
     */
    public static String userOf(String aor) {
        int start = aor.regionMatches(true, 0, "sips:", 0, 5) ? 5 : aor.regionMatches(true, 0, "sip:", 0, 4) ? 4 : 0;
        int at = aor.lastIndexOf('@');
        if (at <= start) {
            throw new IllegalArgumentException("no user part in '" + aor + "'");
        }
        return aor.substring(start, at);
    }

    /**
     * Reads {@code sip:user@domain}, {@code sips:user@domain}, {@code user@domain} or a bare {@code user}
     * (then in {@code defaultDomain}).
     *
     * @throws IllegalArgumentException when the user or the domain is empty
     */
    public static String parse(String text, String defaultDomain) {
        String s = text == null ? "" : text.trim();
        if (s.regionMatches(true, 0, "sips:", 0, 5)) {
            s = s.substring(5);
        } else if (s.regionMatches(true, 0, "sip:", 0, 4)) {
            s = s.substring(4);
        }
        int at = s.lastIndexOf('@');
        String user = at < 0 ? s : s.substring(0, at);
        String domain = at < 0 ? defaultDomain : s.substring(at + 1);
        if (user.isEmpty()) {
            throw new IllegalArgumentException("no user in address-of-record '" + text + "'");
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("no domain in address-of-record '" + text + "'");
        }
        return of(user, domain);
    }
}
