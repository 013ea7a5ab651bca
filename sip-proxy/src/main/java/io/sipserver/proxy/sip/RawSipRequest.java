package io.sipserver.proxy.sip;

import java.nio.charset.StandardCharsets;
import javax.sip.message.Request;

/**
 * What the UDP reader needs to know of a request without parsing it: its method (INVITE, ACK or REGISTER; other
 * methods are not looked into), the To tag, the top Via's sent-by and parameters, and where the header fields a
 * response copies (Via, From, To, Call-ID, CSeq, Timestamp) are in the datagram. One instance is reused for every
 * datagram of its reader thread; {@link #scan} allocates nothing.
 * <p>
 * It is deliberately strict: a message it cannot take apart with certainty (folded lines, bare LF line ends, control
 * characters, quoted or IPv6 values in Via, a To without angle brackets, repeated From/To/Call-ID/CSeq, a CSeq
 * method that is not the request's, ...) is not recognised, and goes to JAIN-SIP's parser as before.
 */
final class RawSipRequest {

    /** Most Via header field values a recognised request may carry. */
    static final int MAX_VIAS = 16;
    /** Most Contact header field values a recognised request may carry. */
    static final int MAX_CONTACTS = 8;
    /** Most Route header field values a recognised request may carry. */
    static final int MAX_ROUTES = 8;

    private static final byte[] SIP_VERSION = {'S', 'I', 'P', '/', '2', '.', '0'};
    private static final byte[] SIP_SCHEME = {'s', 'i', 'p', ':'};
    private static final byte[] VIA_PROTOCOL = {'s', 'i', 'p', '/', '2', '.', '0', '/'};
    private static final byte[] TAG = {'t', 'a', 'g'};
    /** RFC 3261's branch prefix, lower-cased (it is compared ignoring case, as JAIN-SIP does). */
    private static final byte[] MAGIC_COOKIE = {'z', '9', 'h', 'g', '4', 'b', 'k'};
    private static final byte[] BRANCH = {'b', 'r', 'a', 'n', 'c', 'h'};
    private static final byte[] RPORT = {'r', 'p', 'o', 'r', 't'};
    private static final byte[] RECEIVED = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};
    private static final byte[] MADDR = {'m', 'a', 'd', 'd', 'r'};
    private static final byte[][] METHOD_NAMES = {
        Request.INVITE.getBytes(), Request.ACK.getBytes(), Request.REGISTER.getBytes()};
    private static final String[] METHODS = {Request.INVITE, Request.ACK, Request.REGISTER};

    private byte[] data;
    private String method;
    private int methodEnd;

    /** Via header field values (a comma-separated line is one entry; its elements are all checked). */
    private final int[] viaStart = new int[MAX_VIAS];
    private final int[] viaEnd = new int[MAX_VIAS];
    private int vias;
    private int fromStart;
    private int fromEnd;
    private int toStart;
    private int toEnd;
    private int toTagStart;
    private int toTagEnd;
    private int callIdStart;
    private int callIdEnd;
    private int cseqStart;
    private int cseqEnd;
    private int timestampStart;
    private int timestampEnd;
    private int requestUriStart;
    private int requestUriEnd;
    /** The URI between the To field's angle brackets. */
    private int toUriStart;
    private int toUriEnd;
    /** Contact header field values (a comma-separated line is one entry). */
    private final int[] contactStart = new int[MAX_CONTACTS];
    private final int[] contactEnd = new int[MAX_CONTACTS];
    private int contacts;
    /** Route header field values. */
    private final int[] routeStart = new int[MAX_ROUTES];
    private final int[] routeEnd = new int[MAX_ROUTES];
    private int routes;
    private int expiresStart;
    private int expiresEnd;
    private int authorizationStart;
    private int authorizationEnd;
    private int authorizations;
    private int userAgentStart;
    private int userAgentEnd;
    /** Header fields whose presence takes a REGISTER out of what is answered from its bytes. */
    private boolean hasAuthorization;
    private boolean hasProxyRequire;
    private boolean hasBody;

    /** The last URI {@link #sipUri} took apart: user (-1 when none), host, port (-1 when none). */
    private int uriUserStart;
    private int uriUserEnd;
    private int uriHostStart;
    private int uriHostEnd;
    private int uriPort;

    /** The top Via element: sent-by host, port (-1 when absent), parameters, end (before a ',' or the line end). */
    private int hostStart;
    private int hostEnd;
    private int port;
    private int topParamsStart;
    private int topViaEnd;
    private int branchStart;
    private int branchEnd;
    private boolean rport;

    /** Set while the top Via element is being parsed, so that only its details are kept. */
    private boolean parsingTop;

    /**
     * Scans the datagram {@code data[0, length)}.
     *
     * @return true when it is an INVITE, ACK or REGISTER request whose request line and the header fields listed
     *         above could be taken apart with certainty; false for anything else (other methods, responses,
     *         garbage), which is for JAIN-SIP's parser. Never throws.
     */
    boolean scan(byte[] datagram, int length) {
        this.data = datagram;
        method = null;
        vias = 0;
        fromStart = toStart = callIdStart = cseqStart = timestampStart = -1;
        toTagStart = toTagEnd = -1;
        branchStart = branchEnd = -1;
        hasAuthorization = hasProxyRequire = hasBody = false;
        contacts = routes = authorizations = 0;
        expiresStart = userAgentStart = -1;
        if (length > datagram.length || !requestLine(length)) {
            return false;
        }
        int lineStart = lineEnd(datagram, methodEnd, length) + 2;
        while (true) {
            int end = lineEnd(datagram, lineStart, length);
            if (end < 0) {
                return false;
            }
            if (end == lineStart) {
                hasBody = end + 2 < length;
                break;
            }
            if (!headerLine(lineStart, end)) {
                return false;
            }
            lineStart = end + 2;
        }
        if (vias == 0 || fromStart < 0 || toStart < 0 || callIdStart < 0 || cseqStart < 0) {
            return false;
        }
        return toFieldParsed() && cseqMatchesMethod();
    }

    /** INVITE, ACK or REGISTER (the constants of {@link Request}); meaningful after a successful scan. */
    String method() {
        return method;
    }

    boolean hasToTag() {
        return toTagStart >= 0;
    }

    /** Whether the To tag starts with {@code prefix} (ASCII). */
    boolean toTagStartsWith(byte[] prefix) {
        return toTagStart >= 0 && toTagEnd - toTagStart >= prefix.length
                && regionEquals(data, toTagStart, prefix, false);
    }

    /** Whether the top Via's branch starts with RFC 3261's magic cookie, so it alone identifies the transaction. */
    boolean hasRfc3261Branch() {
        return branchStart >= 0 && branchEnd - branchStart > MAGIC_COOKIE.length
                && regionEquals(data, branchStart, MAGIC_COOKIE, true);
    }

    /**
     * The key of this request's server transaction in JAIN-SIP's table ({@code SIPMessage.getTransactionId()} for an
     * RFC 3261 branch and a method other than CANCEL): the branch, lower-cased. Call only when
     * {@link #hasRfc3261Branch()}.
     */
    String transactionKey() {
        char[] key = new char[branchEnd - branchStart];
        for (int i = 0; i < key.length; i++) {
            key[i] = (char) lower(data[branchStart + i]);
        }
        return new String(key);
    }

    /** FNV-1a of the lower-cased branch: the same for every retransmission of the request. */
    long branchHash() {
        long hash = 0xcbf29ce484222325L;
        for (int i = branchStart; i < branchEnd; i++) {
            hash = (hash ^ lower(data[i])) * 0x100000001b3L;
        }
        return hash;
    }

    int viaCount() {
        return vias;
    }

    int viaStart(int index) {
        return viaStart[index];
    }

    int viaEnd(int index) {
        return viaEnd[index];
    }

    /** Where the top Via element's sent-by host is. */
    int topHostStart() {
        return hostStart;
    }

    int topHostEnd() {
        return hostEnd;
    }

    /** The top Via's sent-by port, or -1 when it has none. */
    int topPort() {
        return port;
    }

    /** Where the top Via element's parameters begin (at a ';', or at its end when it has none). */
    int topParamsStart() {
        return topParamsStart;
    }

    /** Where the top Via element ends: at the ',' before the next element of its line, or at the line's end. */
    int topViaEnd() {
        return topViaEnd;
    }

    /** Whether the top Via has an {@code rport} parameter (with or without a value). */
    boolean hasRport() {
        return rport;
    }

    int fromStart() {
        return fromStart;
    }

    int fromEnd() {
        return fromEnd;
    }

    int toStart() {
        return toStart;
    }

    int toEnd() {
        return toEnd;
    }

    int callIdStart() {
        return callIdStart;
    }

    int callIdEnd() {
        return callIdEnd;
    }

    int cseqStart() {
        return cseqStart;
    }

    int cseqEnd() {
        return cseqEnd;
    }

    /** -1 when the request has no Timestamp (the stack copies one into its responses). */
    int timestampStart() {
        return timestampStart;
    }

    int timestampEnd() {
        return timestampEnd;
    }

    byte[] data() {
        return data;
    }

    int requestUriStart() {
        return requestUriStart;
    }

    int requestUriEnd() {
        return requestUriEnd;
    }

    /** Where the URI between the To field's angle brackets is. */
    int toUriStart() {
        return toUriStart;
    }

    int toUriEnd() {
        return toUriEnd;
    }

    /** Whether the request carries an Authorization header field. */
    boolean hasAuthorization() {
        return hasAuthorization;
    }

    /** How many Authorization header fields the request carries; the last one's value is at the span below. */
    int authorizations() {
        return authorizations;
    }

    int authorizationStart() {
        return authorizationStart;
    }

    int authorizationEnd() {
        return authorizationEnd;
    }

    /** Contact header field values, a comma-separated line being one. */
    int contactCount() {
        return contacts;
    }

    int contactStart(int index) {
        return contactStart[index];
    }

    int contactEnd(int index) {
        return contactEnd[index];
    }

    /** Where the Expires value is; -1 when the request has none. */
    int expiresStart() {
        return expiresStart;
    }

    int expiresEnd() {
        return expiresEnd;
    }

    /** Where the User-Agent value is; -1 when the request has none. */
    int userAgentStart() {
        return userAgentStart;
    }

    int userAgentEnd() {
        return userAgentEnd;
    }

    /**
     * Where a response goes, as the stack's server transactions send it: to the source port when the top Via has
     * {@code rport}, else to its sent-by port (5060 when none).
     */
    int responsePort(int sourcePort) {
        return rport ? sourcePort : port > 0 ? port : 5060;
    }

    /** The CSeq sequence number (the scan checked its digits). */
    long cseqNumber() {
        long n = 0;
        for (int i = cseqStart; i < cseqEnd && data[i] >= '0' && data[i] <= '9'; i++) {
            n = n * 10 + data[i] - '0';
        }
        return n;
    }

    /** {@code data[start, end)} as a String, decoded as UTF-8 as the stack's parser decodes a message. */
    String text(int start, int end) {
        return new String(data, start, end - start, StandardCharsets.UTF_8);
    }

    /** Route header field values, a comma-separated line being one. */
    int routeCount() {
        return routes;
    }

    int routeStart(int index) {
        return routeStart[index];
    }

    int routeEnd(int index) {
        return routeEnd[index];
    }

    /** Whether the request carries a Proxy-Require header field. */
    boolean hasProxyRequire() {
        return hasProxyRequire;
    }

    /** Whether anything follows the header fields' blank line. */
    boolean hasBody() {
        return hasBody;
    }

    /**
     * Takes apart {@code sip:[user[:password]@]host[:port][;params][?headers]} in {@code data[start, end)}; the parts
     * are then at {@link #uriUserStart()} and the like. Only the {@code sip} scheme and a host name or IPv4 address
     * are recognised (no {@code sips}, no IPv6 reference, no escaped host).
     *
     * @return false when the URI is not of that form
     */
    boolean sipUri(int start, int end) {
        if (end - start < SIP_SCHEME.length || !regionEquals(data, start, SIP_SCHEME, true)) {
            return false;
        }
        int at = start + SIP_SCHEME.length;
        int userEnd = -1;
        for (int i = at; i < end && userEnd < 0; i++) {
            if (data[i] == '@') {
                userEnd = i;
            }
        }
        uriUserStart = uriUserEnd = -1;
        if (userEnd >= 0) {
            uriUserStart = at;
            uriUserEnd = at;
            while (uriUserEnd < userEnd && data[uriUserEnd] != ':') {
                if (data[uriUserEnd] == ';' || data[uriUserEnd] == '?') {
                    // User parameters (RFC 4694's npdi and the like) are left to the parser.
                    return false;
                }
                uriUserEnd++;
            }
            at = userEnd + 1;
        }
        int parametersAt = at;
        while (parametersAt < end && data[parametersAt] != ';' && data[parametersAt] != '?') {
            parametersAt++;
        }
        uriHostStart = at;
        while (at < parametersAt && (isAlphanumeric(data[at]) || data[at] == '.' || data[at] == '-')) {
            at++;
        }
        uriHostEnd = at;
        uriPort = -1;
        if (at < parametersAt && data[at] == ':') {
            at++;
            int digits = at;
            int port = 0;
            while (at < parametersAt && data[at] >= '0' && data[at] <= '9' && at - digits < 5) {
                port = port * 10 + data[at] - '0';
                at++;
            }
            if (at == digits || port > 65535) {
                return false;
            }
            uriPort = port;
        }
        return uriHostEnd > uriHostStart && at == parametersAt;
    }

    /** The user part of the last URI taken apart, -1 when it has none. */
    int uriUserStart() {
        return uriUserStart;
    }

    int uriUserEnd() {
        return uriUserEnd;
    }

    int uriHostStart() {
        return uriHostStart;
    }

    int uriHostEnd() {
        return uriHostEnd;
    }

    /** The port of the last URI taken apart, -1 when it has none. */
    int uriPort() {
        return uriPort;
    }

    /** {@code METHOD SP Request-URI SP SIP/2.0}, for the three methods this looks into. */
    private boolean requestLine(int length) {
        for (int m = 0; m < METHOD_NAMES.length; m++) {
            byte[] name = METHOD_NAMES[m];
            if (length > name.length && data[name.length] == ' ' && regionEquals(data, 0, name, false)) {
                method = METHODS[m];
                methodEnd = name.length;
                break;
            }
        }
        if (method == null) {
            return false;
        }
        int end = lineEnd(data, methodEnd, length);
        if (end < 0) {
            return false;
        }
        int uriStart = methodEnd + 1;
        int uriEnd = uriStart;
        while (uriEnd < end && data[uriEnd] != ' ') {
            uriEnd++;
        }
        requestUriStart = uriStart;
        requestUriEnd = uriEnd;
        return uriEnd > uriStart && end - uriEnd == 1 + SIP_VERSION.length
                && regionEquals(data, uriEnd + 1, SIP_VERSION, false);
    }

    /**
     * The index of the CR of the CRLF that ends the line starting at {@code from}, or -1 when the line has a control
     * character other than HTAB, a bare CR or LF, or no end within {@code length}.
     */
    private static int lineEnd(byte[] data, int from, int length) {
        for (int i = from; i < length; i++) {
            byte b = data[i];
            if (b == '\r') {
                return i + 1 < length && data[i + 1] == '\n' ? i : -1;
            }
            if (b >= 0 && b < ' ' && b != '\t' || b == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    /** One header line, {@code name LWS ':' LWS value}; remembers the fields a response copies. */
    private boolean headerLine(int start, int end) {
        int nameEnd = skipToken(start, end);
        if (nameEnd == start) {
            // Includes a line starting with whitespace: a folded continuation, which this does not unfold.
            return false;
        }
        int colon = skipWhitespace(nameEnd, end);
        if (colon == end || data[colon] != ':') {
            return false;
        }
        int valueStart = skipWhitespace(colon + 1, end);
        int valueEnd = end;
        while (valueEnd > valueStart && isWhitespace(data[valueEnd - 1])) {
            valueEnd--;
        }
        int nameLength = nameEnd - start;
        if (nameIs(start, nameLength, "via", 'v')) {
            return via(valueStart, valueEnd);
        }
        if (nameIs(start, nameLength, "from", 'f')) {
            if (fromStart >= 0 || valueStart == valueEnd) {
                return false;
            }
            fromStart = valueStart;
            fromEnd = valueEnd;
        } else if (nameIs(start, nameLength, "to", 't')) {
            if (toStart >= 0 || valueStart == valueEnd) {
                return false;
            }
            toStart = valueStart;
            toEnd = valueEnd;
        } else if (nameIs(start, nameLength, "call-id", 'i')) {
            if (callIdStart >= 0 || valueStart == valueEnd) {
                return false;
            }
            callIdStart = valueStart;
            callIdEnd = valueEnd;
        } else if (nameIs(start, nameLength, "cseq", (char) 0)) {
            if (cseqStart >= 0 || valueStart == valueEnd) {
                return false;
            }
            cseqStart = valueStart;
            cseqEnd = valueEnd;
        } else if (nameIs(start, nameLength, "timestamp", (char) 0)) {
            if (timestampStart >= 0 || valueStart == valueEnd) {
                return false;
            }
            timestampStart = valueStart;
            timestampEnd = valueEnd;
        } else if (nameIs(start, nameLength, "authorization", (char) 0)) {
            hasAuthorization = true;
            authorizations++;
            authorizationStart = valueStart;
            authorizationEnd = valueEnd;
        } else if (nameIs(start, nameLength, "contact", 'm')) {
            if (contacts == MAX_CONTACTS) {
                return false;
            }
            contactStart[contacts] = valueStart;
            contactEnd[contacts] = valueEnd;
            contacts++;
        } else if (nameIs(start, nameLength, "expires", (char) 0)) {
            if (expiresStart >= 0) {
                return false;
            }
            expiresStart = valueStart;
            expiresEnd = valueEnd;
        } else if (nameIs(start, nameLength, "user-agent", (char) 0)) {
            if (userAgentStart >= 0) {
                return false;
            }
            userAgentStart = valueStart;
            userAgentEnd = valueEnd;
        } else if (nameIs(start, nameLength, "route", (char) 0)) {
            if (routes == MAX_ROUTES) {
                return false;
            }
            routeStart[routes] = valueStart;
            routeEnd[routes] = valueEnd;
            routes++;
        } else if (nameIs(start, nameLength, "proxy-require", (char) 0)) {
            hasProxyRequire = true;
        }
        return true;
    }

    private boolean nameIs(int start, int length, String full, char compact) {
        if (length == 1) {
            return compact != 0 && lower(data[start]) == compact;
        }
        if (length != full.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(data[start + i]) != full.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A Via header field value: one or more comma-separated elements, each of which must parse. */
    private boolean via(int start, int end) {
        if (vias == MAX_VIAS || start == end) {
            return false;
        }
        viaStart[vias] = start;
        viaEnd[vias] = end;
        int at = start;
        parsingTop = vias == 0;
        vias++;
        while (true) {
            at = viaElement(at, end);
            parsingTop = false;
            if (at < 0) {
                return false;
            }
            if (at == end) {
                return true;
            }
            // at a ','
            at = skipWhitespace(at + 1, end);
        }
    }

    /**
     * {@code SIP/2.0/transport LWS host [':' port] *(LWS ';' LWS name [LWS '=' LWS token])}, from {@code start};
     * returns where it ends (at a ',' or at {@code end}), or -1.
     */
    private int viaElement(int start, int end) {
        if (end - start < VIA_PROTOCOL.length || !regionEquals(data, start, VIA_PROTOCOL, true)) {
            return -1;
        }
        int at = start + VIA_PROTOCOL.length;
        int transportStart = at;
        at = skipToken(at, end);
        if (at == transportStart || at == end || !isWhitespace(data[at])) {
            return -1;
        }
        at = skipWhitespace(at, end);
        int host = at;
        while (at < end && (isAlphanumeric(data[at]) || data[at] == '.' || data[at] == '-')) {
            at++;
        }
        if (at == host) {
            return -1;
        }
        int hostLimit = at;
        int sentByPort = -1;
        if (at < end && data[at] == ':') {
            at++;
            int digits = at;
            sentByPort = 0;
            while (at < end && data[at] >= '0' && data[at] <= '9' && at - digits < 5) {
                sentByPort = sentByPort * 10 + data[at] - '0';
                at++;
            }
            if (at == digits || sentByPort > 65535) {
                return -1;
            }
        }
        if (parsingTop) {
            hostStart = host;
            hostEnd = hostLimit;
            port = sentByPort;
            topParamsStart = at;
            rport = false;
        }
        at = skipWhitespace(at, end);
        while (at < end && data[at] == ';') {
            at = viaParameter(skipWhitespace(at + 1, end), end);
            if (at < 0) {
                return -1;
            }
            at = skipWhitespace(at, end);
        }
        if (at < end && data[at] != ',') {
            return -1;
        }
        if (parsingTop) {
            topViaEnd = at;
            // Trailing whitespace before the ',' is not part of the element.
            while (topViaEnd > topParamsStart && isWhitespace(data[topViaEnd - 1])) {
                topViaEnd--;
            }
            if (topParamsStart < topViaEnd && data[topParamsStart] != ';') {
                // Whitespace between sent-by and the first ';': the copy starts the parameters at the ';'.
                topParamsStart = skipWhitespace(topParamsStart, topViaEnd);
            }
        }
        return at;
    }

    /** {@code name [LWS '=' LWS token]} from {@code start}; returns where it ends, or -1. */
    private int viaParameter(int start, int end) {
        int at = skipToken(start, end);
        int nameEnd = at;
        if (nameEnd == start) {
            return -1;
        }
        int valueStart = -1;
        int valueEnd = -1;
        int next = skipWhitespace(at, end);
        if (next < end && data[next] == '=') {
            valueStart = skipWhitespace(next + 1, end);
            valueEnd = skipToken(valueStart, end);
            if (valueEnd == valueStart) {
                // Quoted strings and IPv6 references are left to the parser.
                return -1;
            }
            at = valueEnd;
        }
        if (parsingTop) {
            int nameLength = nameEnd - start;
            if (nameLength == MADDR.length && regionEquals(data, start, MADDR, true)) {
                // The stack would send the answer to the maddr: not done here.
                return -1;
            }
            if (nameLength == BRANCH.length && regionEquals(data, start, BRANCH, true)) {
                if (valueStart < 0 || branchStart >= 0) {
                    return -1;
                }
                branchStart = valueStart;
                branchEnd = valueEnd;
            } else if (nameLength == RPORT.length && regionEquals(data, start, RPORT, true)) {
                rport = true;
            } else if (nameLength == RECEIVED.length && regionEquals(data, start, RECEIVED, true)
                    && valueStart < 0) {
                return -1;
            }
        }
        return at;
    }

    /** Finds the To tag: the header parameters follow the {@code <...>} (a To without brackets is not recognised). */
    private boolean toFieldParsed() {
        int at = toStart;
        int open = -1;
        while (at < toEnd && open < 0) {
            byte b = data[at];
            if (b == '"') {
                at = afterQuotedString(at, toEnd);
                if (at < 0) {
                    return false;
                }
            } else if (b == '<') {
                open = at;
            } else {
                at++;
            }
        }
        if (open < 0) {
            return false;
        }
        int close = open + 1;
        while (close < toEnd && data[close] != '>') {
            close++;
        }
        if (close == toEnd) {
            return false;
        }
        toUriStart = open + 1;
        toUriEnd = close;
        at = skipWhitespace(close + 1, toEnd);
        while (at < toEnd) {
            if (data[at] != ';') {
                return false;
            }
            int name = skipWhitespace(at + 1, toEnd);
            int nameEnd = skipToken(name, toEnd);
            if (nameEnd == name) {
                return false;
            }
            at = skipWhitespace(nameEnd, toEnd);
            int valueStart = -1;
            int valueEnd = -1;
            if (at < toEnd && data[at] == '=') {
                valueStart = skipWhitespace(at + 1, toEnd);
                valueEnd = skipToken(valueStart, toEnd);
                if (valueEnd == valueStart) {
                    return false;
                }
                at = skipWhitespace(valueEnd, toEnd);
            }
            if (nameEnd - name == TAG.length && regionEquals(data, name, TAG, true)) {
                if (valueStart < 0 || toTagStart >= 0) {
                    return false;
                }
                toTagStart = valueStart;
                toTagEnd = valueEnd;
            }
        }
        return true;
    }

    private int afterQuotedString(int quote, int end) {
        for (int i = quote + 1; i < end; i++) {
            if (data[i] == '\\') {
                i++;
            } else if (data[i] == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** {@code 1*DIGIT LWS Method}, the method the request line's. */
    private boolean cseqMatchesMethod() {
        int at = cseqStart;
        while (at < cseqEnd && data[at] >= '0' && data[at] <= '9') {
            at++;
        }
        if (at == cseqStart || at - cseqStart > 10 || at == cseqEnd || !isWhitespace(data[at])) {
            return false;
        }
        at = skipWhitespace(at, cseqEnd);
        return cseqEnd - at == methodEnd && regionEquals(data, at, data, 0, methodEnd);
    }

    private int skipToken(int from, int end) {
        while (from < end && isTokenChar(data[from])) {
            from++;
        }
        return from;
    }

    private int skipWhitespace(int from, int end) {
        while (from < end && isWhitespace(data[from])) {
            from++;
        }
        return from;
    }

    private static boolean regionEquals(byte[] data, int at, byte[] expected, boolean ignoreCase) {
        if (at + expected.length > data.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            byte b = data[at + i];
            if ((ignoreCase ? lower(b) : b) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionEquals(byte[] data, int at, byte[] other, int otherAt, int length) {
        for (int i = 0; i < length; i++) {
            if (data[at + i] != other[otherAt + i]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isAlphanumeric(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9';
    }

    /** RFC 3261 token characters. */
    private static boolean isTokenChar(byte b) {
        return isAlphanumeric(b) || b == '-' || b == '.' || b == '!' || b == '%' || b == '*' || b == '_' || b == '+'
                || b == '`' || b == '\'' || b == '~';
    }
}
