package io.sipserver.registrar.auth;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of an Authorization / Proxy-Authorization header value in the Digest scheme.
 *
 * @param algorithm as written, or null when absent (meaning MD5)
 * @param qop as written, or null when absent (RFC 2069 style)
 * @param nc the nonce-count, or null without qop
 * @param cnonce the client nonce, or null without qop
 */
public record DigestCredentials(String username, String realm, String nonce, String uri, String response,
        String algorithm, String qop, String nc, String cnonce) {

    private static final int MAX_LENGTH = 4096;

    /**
     * Parses {@code Digest name=value, name="quoted value", ...}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static DigestCredentials parse(String headerValue) {
        if (headerValue == null) {
            throw new IllegalArgumentException("no credentials");
        }
        if (headerValue.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("credentials longer than " + MAX_LENGTH + " characters");
        }
        String s = headerValue.strip();
        if (!s.regionMatches(true, 0, "Digest", 0, 6) || s.length() == 6 || !Character.isWhitespace(s.charAt(6))) {
            throw new IllegalArgumentException("not a Digest credential");
        }
        Map<String, String> params = new Params(s, 7).parse();
        if (params.containsKey("userhash") || params.containsKey("username*")) {
            throw new IllegalArgumentException("userhash and username* are not supported");
        }
        String qop = params.get("qop");
        return new DigestCredentials(required(params, "username"), required(params, "realm"),
                required(params, "nonce"), required(params, "uri"), required(params, "response"),
                params.get("algorithm"), qop,
                qop == null ? null : required(params, "nc"), qop == null ? null : required(params, "cnonce"));
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** A cursor over {@code auth-param *( "," auth-param )} (RFC 7235 section 2.1). */
    private static final class Params {
        private final String s;
        private int pos;

        Params(String s, int start) {
            this.s = s;
            this.pos = start;
        }

        Map<String, String> parse() {
            Map<String, String> params = new HashMap<>();
            while (true) {
                skipWhitespaceAndCommas();
                if (pos >= s.length()) {
                    return params;
                }
                String name = token().toLowerCase(Locale.ROOT);
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '=') {
                    throw new IllegalArgumentException("expected '=' after " + name);
                }
                pos++;
                skipWhitespace();
                String value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : unquoted();
                if (params.put(name, value) != null) {
                    throw new IllegalArgumentException("duplicate parameter " + name);
                }
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) != ',') {
                    throw new IllegalArgumentException("expected ',' after " + name);
                }
            }
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("expected a token at position " + start);
            }
            return s.substring(start, pos);
        }

        /** Up to the next comma or space: lenient, for clients that leave a URI unquoted. */
        private String unquoted() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("empty value at position " + start);
            }
            return s.substring(start, pos);
        }

        /** A quoted string's value; most hold no escape and are cut out of the header value as they are. */
        private String quoted() {
            int start = ++pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\') {
                    return unescaped(start);
                }
                pos++;
                if (c == '"') {
                    return s.substring(start, pos - 1);
                }
            }
            throw unterminated();
        }

        /** The rest of a quoted string from its first escape at {@code pos}; its value began at {@code start}. */
        private String unescaped(int start) {
            StringBuilder value = new StringBuilder().append(s, start, pos);
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                value.append(c);
            }
            throw unterminated();
        }

        private static IllegalArgumentException unterminated() {
            return new IllegalArgumentException("unterminated quoted string");
        }

        private void skipWhitespace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private void skipWhitespaceAndCommas() {
            while (pos < s.length() && (s.charAt(pos) == ',' || Character.isWhitespace(s.charAt(pos)))) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
    }
}
