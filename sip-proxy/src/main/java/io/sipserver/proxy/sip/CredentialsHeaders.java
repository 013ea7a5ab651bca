package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.Authorization;
import gov.nist.javax.sip.header.AuthorizationList;
import gov.nist.javax.sip.header.ProxyAuthorization;
import gov.nist.javax.sip.header.ProxyAuthorizationList;
import gov.nist.javax.sip.header.SIPHeader;

/**
 * Authorization and Proxy-Authorization headers parsed by hand: the value is checked against a plain form the RI's
 * parser accepts and kept as text; its Digest parameters are parsed once, when the registrar or the proxy asks for
 * them ({@link ReceivedCredentials}), and the RI's parameter objects only if something else asks. The header encodes
 * its value as received. The plain form is {@code scheme SP param *(*SP "," *SP param)} with {@code param = token
 * "=" (token / quoted-string)}, no backslash in quoted strings and no parameter twice; anything else is left to the
 * RI's parser, and the registrar re-encodes and parses what that gives, as before.
 */
final class CredentialsHeaders {

    /** More parameters than a Digest response has (ten or so) go to the RI. */
    private static final int MAX_PARAMETERS = 24;

    private CredentialsHeaders() {
    }

    /** A credentials header parsed by hand. */
    interface Received {
        ReceivedCredentials credentials();
    }

    /** {@code Authorization: Digest username="alice",realm="example.test",...}, in the list the RI keeps it in. */
    static SIPHeader authorization(String line, int from) {
        String value = plainValue(line, from);
        if (value == null) {
            return null;
        }
        AuthorizationList list = new AuthorizationList();
        list.add(new ReceivedAuthorization(value));
        return list;
    }

    /** {@code Proxy-Authorization: Digest ...}, in the list the RI keeps it in. */
    static SIPHeader proxyAuthorization(String line, int from) {
        String value = plainValue(line, from);
        if (value == null) {
            return null;
        }
        ProxyAuthorizationList list = new ProxyAuthorizationList();
        list.add(new ReceivedProxyAuthorization(value));
        return list;
    }

    /** The value of {@code line} from {@code from} without the spaces around it, or null when it is not plain. */
    static String plainValue(String line, int from) {
        int start = skipSpace(line, from);
        int i = PlainHeaderParsers.skipToken(line, start);
        if (i == start || i >= line.length() || line.charAt(i) != ' ') {
            return null;
        }
        int[] names = new int[2 * MAX_PARAMETERS];
        int count = 0;
        i++;
        while (true) {
            int name = i;
            i = PlainHeaderParsers.skipToken(line, i);
            if (i == name || i >= line.length() || line.charAt(i) != '=' || count == MAX_PARAMETERS
                    || seen(line, names, count, name, i)) {
                return null;
            }
            names[2 * count] = name;
            names[2 * count + 1] = i;
            count++;
            i = skipValue(line, i + 1);
            if (i < 0) {
                return null;
            }
            int end = i;
            i = skipSpace(line, i);
            if (i == line.length()) {
                return line.substring(start, end);
            }
            if (line.charAt(i) != ',') {
                return null;
            }
            i = skipSpace(line, i + 1);
        }
    }

    /** Where a token or a quoted string without backslashes starting at {@code i} ends, or -1. */
    private static int skipValue(String line, int i) {
        if (i < line.length() && line.charAt(i) == '"') {
            for (int j = i + 1; j < line.length(); j++) {
                char c = line.charAt(j);
                if (c == '"') {
                    return j + 1;
                }
                if (c == '\\' || c < ' ' || c >= 0x7f) {
                    return -1;
                }
            }
            return -1;
        }
        int end = PlainHeaderParsers.skipToken(line, i);
        return end == i ? -1 : end;
    }

    /** Whether the name {@code line[from, to)} is among the first {@code count} names, ignoring ASCII case. */
    private static boolean seen(String line, int[] names, int count, int from, int to) {
        for (int n = 0; n < count; n++) {
            int length = names[2 * n + 1] - names[2 * n];
            if (length == to - from && line.regionMatches(true, names[2 * n], line, from, length)) {
                return true;
            }
        }
        return false;
    }

    private static int skipSpace(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The scheme, and the parameters after its space as text (filled in from the RI's parse on demand). */
    private static void init(AuthenticationHeader header, String value) {
        int space = value.indexOf(' ');
        header.setScheme(value.substring(0, space));
        header.setParameters(new ReceivedAuthParams(value.substring(space + 1)));
    }

    /** An Authorization header as received. */
    static final class ReceivedAuthorization extends Authorization implements Received {
        private final ReceivedCredentials credentials;

        ReceivedAuthorization(String value) {
            init(this, value);
            this.credentials = new ReceivedCredentials(value);
        }

        @Override
        public ReceivedCredentials credentials() {
            return credentials;
        }
    }

    /** A Proxy-Authorization header as received. */
    static final class ReceivedProxyAuthorization extends ProxyAuthorization implements Received {
        private final ReceivedCredentials credentials;

        ReceivedProxyAuthorization(String value) {
            init(this, value);
            this.credentials = new ReceivedCredentials(value);
        }

        @Override
        public ReceivedCredentials credentials() {
            return credentials;
        }
    }
}
