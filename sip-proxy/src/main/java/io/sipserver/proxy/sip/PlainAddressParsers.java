package io.sipserver.proxy.sip;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import java.util.function.Supplier;

/**
 * Hand-written parsers for the plain form of the address headers (From, To, Contact, Route, Record-Route) and of
 * Via, which build exactly the objects JAIN-SIP 1.3.0-91's parsers build: the same classes, filled through the same
 * setters in the same order with the same strings. The scanning follows the RI's ({@code AddressParser},
 * {@code URLParser}, {@code HostNameParser}, {@code ParserCore.nameValue}, {@code ViaParser}) step by step, but
 * gives up, returning null, wherever the RI would fail or take a path not copied here: escapes, IPv6 and anything
 * its IPv6 test takes for one, passwords, URI headers, non-SIP URIs, backslashes in quoted strings, control and
 * non-ASCII characters outside quoted strings, the Contact wildcard, values it would read oddly (an empty parameter
 * value, a trailing comma). The caller then runs the RI's parser, which parses or refuses the header as before.
 */
final class PlainAddressParsers {

    private PlainAddressParsers() {
    }

    static SIPHeader from(String line, int from) {
        return single(line, from, new From());
    }

    static SIPHeader to(String line, int from) {
        return single(line, from, new To());
    }

    static SIPHeader contact(String line, int from) {
        return list(line, from, new ContactList(), Contact::new);
    }

    static SIPHeader route(String line, int from) {
        return list(line, from, new RouteList(), Route::new);
    }

    static SIPHeader recordRoute(String line, int from) {
        return list(line, from, new RecordRouteList(), RecordRoute::new);
    }

    /** {@code SIP/2.0/UDP host:port;branch=z9hG4bK1;rport}, one or several separated by commas. */
    static SIPHeader via(String line, int from) {
        Scanner s = new Scanner(line, from);
        // The stack's Via parser refuses a comment anywhere in the line.
        if (line.indexOf('(', from) >= 0) {
            return null;
        }
        ViaList vias = new ViaList();
        s.skipSpace();
        while (true) {
            Via via = s.via();
            if (via == null) {
                return null;
            }
            vias.add(via);
            s.skipSpace();
            if (s.atEnd()) {
                return vias;
            }
            if (!s.skip(',')) {
                return null;
            }
            s.skipSpace();
            if (s.atEnd()) {
                return null;
            }
        }
    }

    /** A header of one address (From, To): the RI's {@code AddressParametersParser}, then the line's end. */
    private static SIPHeader single(String line, int from, AddressParametersHeader header) {
        Scanner s = new Scanner(line, from);
        s.skipSpace();
        return s.addressWithParameters(header) && s.atEnd() ? header : null;
    }

    /** A header of addresses separated by commas (Contact, Route, Record-Route): the RI's loop over them. */
    private static <H extends AddressParametersHeader> SIPHeader list(String line, int from, SIPHeaderList<H> list,
            Supplier<H> item) {
        Scanner s = new Scanner(line, from);
        s.skipSpace();
        while (true) {
            H header = item.get();
            // Contact's wildcard stays with the RI.
            if (s.peek() == '*' || !s.addressWithParameters(header)) {
                return null;
            }
            list.add(header);
            if (s.atEnd()) {
                return list;
            }
            if (!s.skip(',')) {
                return null;
            }
            s.skipSpace();
            if (s.atEnd()) {
                return null;
            }
        }
    }

    /** A position in a header line and the RI's scanning steps from there; each fails with false or null. */
    private static final class Scanner {
        private final String line;
        private int i;

        Scanner(String line, int from) {
            this.line = line;
            this.i = from;
        }

        boolean atEnd() {
            return i >= line.length();
        }

        /** The next character, or NUL at the end, as the RI's {@code lookAhead(0)}. */
        char peek() {
            return i < line.length() ? line.charAt(i) : '\0';
        }

        boolean skip(char c) {
            if (peek() == c) {
                i++;
                return true;
            }
            return false;
        }

        /** The RI's {@code SPorHT}. */
        void skipSpace() {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
        }

        /**
         * The RI's {@code AddressParametersParser.parse}: an address, then {@code ;name=value} parameters, then
         * spaces; the parameters set on the header as the RI sets them.
         */
        boolean addressWithParameters(AddressParametersHeader header) {
            AddressImpl address = address();
            if (address == null) {
                return false;
            }
            header.setAddress(address);
            skipSpace();
            // A token here sends the RI down a path of its own (parameters without a leading ';').
            if (isTokenChar(peek())) {
                return false;
            }
            while (skip(';')) {
                skipSpace();
                NameValue parameter = headerParameter();
                if (parameter == null) {
                    return false;
                }
                header.setParameter(parameter);
                skipSpace();
            }
            return true;
        }

        /** The RI's {@code ParserCore.nameValue('=')}: {@code name}, {@code name=token} or {@code name="quoted"}. */
        private NameValue headerParameter() {
            String name = token();
            if (name == null) {
                return null;
            }
            skipSpace();
            if (!skip('=')) {
                return new NameValue(name, "", true);
            }
            skipSpace();
            if (peek() == '"') {
                String quoted = quotedString();
                if (quoted == null) {
                    return null;
                }
                NameValue parameter = new NameValue(name, quoted, false);
                parameter.setQuotedValue();
                return parameter;
            }
            String value = token();
            return value == null ? null : new NameValue(name, value, false);
        }

        /**
         * The RI's {@code AddressParser.address(false)}: {@code <uri>}, {@code display name <uri>},
         * {@code "display name" <uri>} or a bare SIP URI (whose parameters are then the header's).
         */
        private AddressImpl address() {
            char first = peek();
            if (first == '"') {
                String displayName = quotedString();
                if (displayName == null) {
                    return null;
                }
                skipSpace();
                return nameAddr(displayName.trim());
            }
            // As the RI, the first of these characters decides between name-addr and addr-spec.
            int decisive = i;
            while (decisive < line.length() && "<\":/".indexOf(line.charAt(decisive)) < 0) {
                decisive++;
            }
            if (decisive == line.length()) {
                return null;
            }
            char c = line.charAt(decisive);
            if (c == '<') {
                if (decisive == i) {
                    return nameAddr(null);
                }
                for (int k = i; k < decisive; k++) {
                    char d = line.charAt(k);
                    if (!isTokenChar(d) && d != ' ' && d != '\t') {
                        return null;
                    }
                }
                String displayName = line.substring(i, decisive).trim();
                i = decisive;
                return nameAddr(displayName);
            }
            if (c != ':') {
                return null;
            }
            SipUri uri = sipUri(false);
            if (uri == null) {
                return null;
            }
            AddressImpl address = new AddressImpl();
            address.setAddressType(AddressImpl.ADDRESS_SPEC);
            address.setURI(uri);
            return address;
        }

        /** The RI's {@code AddressParser.nameAddr} from the '<' on, with the display name read before it. */
        private AddressImpl nameAddr(String displayName) {
            if (!skip('<')) {
                return null;
            }
            skipSpace();
            SipUri uri = sipUri(true);
            if (uri == null) {
                return null;
            }
            skipSpace();
            if (!skip('>')) {
                return null;
            }
            AddressImpl address = new AddressImpl();
            address.setAddressType(AddressImpl.NAME_ADDR);
            if (displayName != null) {
                address.setDisplayName(displayName);
            }
            address.setURI(uri);
            return address;
        }

        /**
         * The RI's {@code URLParser.sipURL}: {@code sip:} or {@code sips:}, an optional user, host, optional port,
         * and inside angle brackets {@code ;name=value} parameters; no password, no headers.
         */
        private SipUri sipUri(boolean inBrackets) {
            String scheme;
            if (line.startsWith("sip:", i)) {
                scheme = "sip";
            } else if (line.startsWith("sips:", i)) {
                scheme = "sips";
            } else {
                return null;
            }
            i += scheme.length() + 1;
            // As the RI: what may be a user, then ':' and what may be a password; without '@' it was the host.
            int userStart = i;
            int userEnd = skipWhile(userStart, PlainAddressParsers::isUserChar);
            int passwordEnd = userEnd;
            if (charAt(userEnd) == ':') {
                passwordEnd = skipWhile(userEnd + 1, PlainAddressParsers::isPasswordChar);
            }
            String user = null;
            if (charAt(passwordEnd) == '@') {
                if (passwordEnd != userEnd || userEnd == userStart) {
                    return null;
                }
                user = line.substring(userStart, userEnd);
                i = passwordEnd + 1;
            } else if (charAt(userEnd) == '%' || charAt(passwordEnd) == '%') {
                return null;
            }
            HostPort hostPort = hostPort();
            // The RI's HostNameParser without white space: what may follow a host in a URI.
            if (hostPort == null || !atEnd() && ",;?> \t".indexOf(peek()) < 0) {
                return null;
            }
            SipUri uri = new SipUri();
            uri.setScheme(scheme);
            if (user != null) {
                uri.setUser(user);
            }
            uri.setHostPort(hostPort);
            while (inBrackets && skip(';')) {
                int nameEnd = skipWhile(i, PlainAddressParsers::isUriParameterChar);
                if (nameEnd == i) {
                    return null;
                }
                String name = line.substring(i, nameEnd);
                i = nameEnd;
                if (skip('=')) {
                    int valueEnd = skipWhile(i, PlainAddressParsers::isUriParameterChar);
                    uri.setUriParameter(new NameValue(name, line.substring(i, valueEnd), false));
                    i = valueEnd;
                } else {
                    uri.setUriParameter(new NameValue(name, "", true));
                }
            }
            // Escapes and headers are left to the RI.
            return peek() == '%' || peek() == '?' ? null : uri;
        }

        /**
         * The RI's {@code HostNameParser.host} for a domain name or IPv4 address, then ':' and a port; null for an
         * IPv6 reference or what the RI's IPv6 test takes for an address (two colons before the parameters).
         */
        private HostPort hostPort() {
            if (peek() == '[' || looksLikeIpv6ToTheRi()) {
                return null;
            }
            int hostEnd = skipWhile(i, PlainAddressParsers::isDomainChar);
            if (hostEnd == i) {
                return null;
            }
            HostPort hostPort = new HostPort();
            hostPort.setHost(new Host(line.substring(i, hostEnd)));
            i = hostEnd;
            if (skip(':')) {
                int portEnd = skipWhile(i, PlainAddressParsers::isDigit);
                if (portEnd == i || portEnd - i > 5) {
                    return null;
                }
                hostPort.setPort(Integer.parseInt(line, i, portEnd, 10));
                i = portEnd;
            }
            return hostPort;
        }

        /** {@code HostNameParser.isIPv6Address} on the rest of the line, as the RI asks it. */
        private boolean looksLikeIpv6ToTheRi() {
            int end = line.indexOf(',', i);
            if (end < 0) {
                end = line.length();
            }
            int question = indexOf('?', end);
            int semicolon = indexOf(';', end);
            int hostEnd = question < 0 || semicolon >= 0 && question > semicolon ? semicolon : question;
            if (hostEnd < 0) {
                hostEnd = end;
            }
            int colon = indexOf(':', hostEnd);
            return colon >= 0 && line.indexOf(':', colon + 1) >= 0 && line.indexOf(':', colon + 1) < hostEnd;
        }

        private int indexOf(char c, int before) {
            int at = line.indexOf(c, i);
            return at < before ? at : -1;
        }

        /**
         * The RI's {@code ViaParser.parseVia}: {@code name/version/transport}, spaces, host and port, then
         * parameters with lower-cased names ({@code received} read up to ';' or ',').
         */
        Via via() {
            String name = token();
            if (name == null || !skip('/')) {
                return null;
            }
            String version = token();
            if (version == null || !skip('/')) {
                return null;
            }
            String transport = token();
            if (transport == null || peek() != ' ' && peek() != '\t') {
                return null;
            }
            skipSpace();
            Via via = new Via();
            Protocol protocol = new Protocol();
            protocol.setProtocolName(name);
            protocol.setProtocolVersion(version);
            protocol.setTransport(transport);
            via.setSentProtocol(protocol);
            HostPort sentBy = hostPort();
            if (sentBy == null) {
                return null;
            }
            via.setSentBy(sentBy);
            skipSpace();
            while (skip(';')) {
                skipSpace();
                NameValue parameter = viaParameter();
                if (parameter == null) {
                    return null;
                }
                via.setParameter(parameter);
                skipSpace();
            }
            return via;
        }

        /** The RI's {@code ViaParser.nameValue}; null where it would keep an unlower-cased name or fail. */
        private NameValue viaParameter() {
            String name = token();
            if (name == null) {
                return null;
            }
            skipSpace();
            if (!skip('=')) {
                // The RI refuses a branch without a value.
                return name.equalsIgnoreCase(Via.BRANCH) ? null : new NameValue(name.toLowerCase(), null);
            }
            skipSpace();
            if (name.equalsIgnoreCase(Via.RECEIVED)) {
                int end = skipWhile(i, c -> c != ';' && c != ',' && c != '\0');
                NameValue received = new NameValue(name.toLowerCase(), line.substring(i, end));
                i = end;
                return received;
            }
            if (peek() == '"') {
                String quoted = quotedString();
                if (quoted == null) {
                    return null;
                }
                NameValue parameter = new NameValue(name.toLowerCase(), quoted);
                parameter.setQuotedValue();
                return parameter;
            }
            String value = token();
            return value == null ? null : new NameValue(name.toLowerCase(), value);
        }

        /** A token (RFC 3261, ASCII only), or null when there is none here. */
        private String token() {
            int end = skipWhile(i, PlainAddressParsers::isTokenChar);
            if (end == i) {
                return null;
            }
            String token = line.substring(i, end);
            i = end;
            return token;
        }

        /** What is between the quotes, or null without a closing quote or with a backslash or a control character. */
        private String quotedString() {
            int end = skipWhile(i + 1, c -> c != '"' && c != '\\' && c >= ' ' && c != 0x7f);
            if (charAt(end) != '"') {
                return null;
            }
            String quoted = line.substring(i + 1, end);
            i = end + 1;
            return quoted;
        }

        private char charAt(int at) {
            return at < line.length() ? line.charAt(at) : '\0';
        }

        private int skipWhile(int from, CharTest test) {
            int at = from;
            while (at < line.length() && test.test(line.charAt(at))) {
                at++;
            }
            return at;
        }
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }

    private static boolean isAlphaDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 3261 token characters, ASCII only (the RI's lexer also takes non-ASCII letters; those go to it). */
    static boolean isTokenChar(char c) {
        return isAlphaDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** The RI's {@code URLParser.isUnreserved}, ASCII only. */
    private static boolean isUnreserved(char c) {
        return isAlphaDigit(c) || "-_.!~*'()".indexOf(c) >= 0;
    }

    /** The RI's {@code URLParser.user} characters, without escapes. */
    private static boolean isUserChar(char c) {
        return isUnreserved(c) || "&?+$#/,;=".indexOf(c) >= 0;
    }

    /** The RI's {@code URLParser.password} characters, without escapes. */
    private static boolean isPasswordChar(char c) {
        return isUnreserved(c) || "&=+$,".indexOf(c) >= 0;
    }

    /** The RI's {@code URLParser.paramNameOrValue} characters, without escapes. */
    private static boolean isUriParameterChar(char c) {
        return isUnreserved(c) || "[]/:&+$".indexOf(c) >= 0;
    }

    /** The RI's {@code HostNameParser} domain label characters, ASCII only. */
    private static boolean isDomainChar(char c) {
        return isAlphaDigit(c) || c == '-' || c == '.' || c == '_';
    }
}
