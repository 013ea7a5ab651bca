package io.sipserver.proxy.sip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a response to a {@link RawSipRequest} without a body (a stateless refusal, a digest challenge, the answer
 * to a REGISTER) into one reused buffer, with the header fields JAIN-SIP's {@code SIPRequest.createResponse} copies
 * (all Via values in order, From, To, Call-ID, CSeq, Timestamp), a To tag when the request had none, the header
 * fields asked for (Retry-After, WWW-Authenticate, Contact...), and {@code Content-Length: 0}. The top Via gets what
 * the stack's UDP channel adds to a received request before anything answers it (RFC 3261 section 18.2.1, RFC 3581):
 * {@code received=<source address>} when the request has {@code rport} or its sent-by host is not the source
 * address, and {@code rport=<source port>} when it has {@code rport}; an existing value of either is replaced in
 * place, as JAIN-SIP does.
 */
final class RawResponseWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] VIA = "Via: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FROM = "\r\nFrom: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO = "\r\nTo: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAG = ";tag=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALL_ID = "\r\nCall-ID: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSEQ = "\r\nCSeq: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "\r\nTimestamp: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETRY_AFTER = "Retry-After: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED = ";received=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPORT = ";rport=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED_NAME = "received".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPORT_NAME = "rport".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    private final byte[] out;
    private int at;
    /** Set when the response being written did not fit. */
    private boolean full;

    /** {@code capacity}: room for the longest refusal; one that would not fit is not written. */
    RawResponseWriter(int capacity) {
        this.out = new byte[capacity];
    }

    /** The buffer the last refusal was written into, from offset 0. */
    byte[] buffer() {
        return out;
    }

    /** Length of the last refusal written. */
    int length() {
        return at;
    }

    /**
     * Writes the refusal of {@code request}, as received from {@code sourceHost} (the address as text, ASCII) and
     * {@code sourcePort}.
     *
     * @param statusLine {@code SIP/2.0 <code> <reason>}, without its line end
     * @param toTag the To tag to add (written in base 36 after {@code toTagPrefix}) when the request has none
     * @param retryAfterSeconds the Retry-After, none when 0
     * @return false when it did not fit in the buffer (nothing is to be sent)
     */
    boolean write(RawSipRequest request, byte[] statusLine, byte[] sourceHost, int sourcePort, byte[] toTagPrefix,
            long toTag, int retryAfterSeconds) {
        start(request, statusLine, sourceHost, sourcePort, toTagPrefix, toTag);
        if (retryAfterSeconds > 0) {
            header(RETRY_AFTER);
            try {
                if (!full) {
                    number(retryAfterSeconds, 10);
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                full = true;
            }
        }
        return finish();
    }

    /**
     * Starts a refusal as {@link #write} does, up to the header fields copied from the request; {@link #header} adds
     * more, {@link #finish} ends it.
     */
    void start(RawSipRequest request, byte[] statusLine, byte[] sourceHost, int sourcePort, byte[] toTagPrefix,
            long toTag) {
        at = 0;
        full = false;
        try {
            put(statusLine);
            put(CRLF);
            copy(request, sourceHost, sourcePort, toTagPrefix, toTag);
        } catch (ArrayIndexOutOfBoundsException e) {
            full = true;
        }
    }

    /**
     * The header fields {@link #start} copies from {@code request}, as bytes of their own (the buffer is left to the
     * next response): for an answer written later, on another thread, with {@link #start(byte[], byte[])} and
     * without scanning the request again. Null when they do not fit.
     */
    byte[] copiedFields(RawSipRequest request, byte[] sourceHost, int sourcePort, byte[] toTagPrefix, long toTag) {
        at = 0;
        try {
            copy(request, sourceHost, sourcePort, toTagPrefix, toTag);
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
        return Arrays.copyOf(out, at);
    }

    /** Starts a response as {@link #start(RawSipRequest, byte[], byte[], int, byte[], long)} does. */
    void start(byte[] statusLine, byte[] copiedFields) {
        at = 0;
        full = false;
        try {
            put(statusLine);
            put(CRLF);
            put(copiedFields);
        } catch (ArrayIndexOutOfBoundsException e) {
            full = true;
        }
    }

    private void copy(RawSipRequest request, byte[] sourceHost, int sourcePort, byte[] toTagPrefix, long toTag) {
        byte[] data = request.data();
        put(VIA);
        topVia(request, sourceHost, sourcePort);
        put(data, request.topViaEnd(), request.viaEnd(0));
        for (int i = 1; i < request.viaCount(); i++) {
            put(CRLF);
            put(VIA);
            put(data, request.viaStart(i), request.viaEnd(i));
        }
        put(FROM);
        put(data, request.fromStart(), request.fromEnd());
        put(TO);
        put(data, request.toStart(), request.toEnd());
        if (!request.hasToTag()) {
            put(TAG);
            put(toTagPrefix);
            number(toTag, 36);
        }
        put(CALL_ID);
        put(data, request.callIdStart(), request.callIdEnd());
        put(CSEQ);
        put(data, request.cseqStart(), request.cseqEnd());
        if (request.timestampStart() >= 0) {
            put(TIMESTAMP);
            put(data, request.timestampStart(), request.timestampEnd());
        }
    }

    /** Adds a header field: {@code nameAndColon} is e.g. {@code "WWW-Authenticate: "}, {@code value} ASCII. */
    void header(byte[] nameAndColon, String value) {
        header(nameAndColon);
        if (full || at + value.length() > out.length) {
            full = true;
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            out[at++] = (byte) value.charAt(i);
        }
    }

    private void header(byte[] nameAndColon) {
        if (!full) {
            try {
                put(CRLF);
                put(nameAndColon);
            } catch (ArrayIndexOutOfBoundsException e) {
                full = true;
            }
        }
    }

    /**
     * Ends the response with {@code Content-Length: 0}.
     *
     * @return false when it did not fit in the buffer (nothing is to be sent)
     */
    boolean finish() {
        if (!full) {
            try {
                put(END);
                return true;
            } catch (ArrayIndexOutOfBoundsException e) {
                full = true;
            }
        }
        at = 0;
        return false;
    }

    /** The top Via element with {@code received} and {@code rport} set as the stack sets them. */
    private void topVia(RawSipRequest request, byte[] sourceHost, int sourcePort) {
        byte[] data = request.data();
        int paramsStart = request.topParamsStart();
        put(data, request.viaStart(0), paramsStart);
        boolean rport = request.hasRport();
        boolean received = rport || !sameBytes(data, request.topHostStart(), request.topHostEnd(), sourceHost);
        boolean receivedWritten = false;
        int end = request.topViaEnd();
        int param = paramsStart;
        while (param < end) {
            // At a ';': the parameter runs to the next ';' (values are tokens, so a ';' cannot be inside one).
            int next = param + 1;
            while (next < end && data[next] != ';') {
                next++;
            }
            int nameStart = skipWhitespace(data, param + 1, next);
            int nameEnd = nameStart;
            while (nameEnd < next && data[nameEnd] != '=' && data[nameEnd] != ' ' && data[nameEnd] != '\t') {
                nameEnd++;
            }
            if (rport && nameIs(data, nameStart, nameEnd, RPORT_NAME)) {
                put(RPORT);
                number(sourcePort, 10);
            } else if (received && nameIs(data, nameStart, nameEnd, RECEIVED_NAME)) {
                put(RECEIVED);
                put(sourceHost);
                receivedWritten = true;
            } else {
                put(data, param, trimEnd(data, param, next));
            }
            param = next;
        }
        if (received && !receivedWritten) {
            put(RECEIVED);
            put(sourceHost);
        }
    }

    private void put(byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        at += bytes.length;
    }

    private void put(byte[] data, int from, int to) {
        if (to > from) {
            System.arraycopy(data, from, out, at, to - from);
            at += to - from;
        }
    }

    /** A non-negative number in {@code radix}, without a String. */
    private void number(long value, int radix) {
        int digits = 1;
        for (long rest = value / radix; rest > 0; rest /= radix) {
            digits++;
        }
        int end = at + digits;
        if (end > out.length) {
            throw new ArrayIndexOutOfBoundsException(end);
        }
        long rest = value;
        for (int i = end - 1; i >= at; i--) {
            out[i] = DIGITS[(int) (rest % radix)];
            rest /= radix;
        }
        at = end;
    }

    private static boolean nameIs(byte[] data, int start, int end, byte[] lowerCaseName) {
        if (end - start != lowerCaseName.length) {
            return false;
        }
        for (int i = 0; i < lowerCaseName.length; i++) {
            byte b = data[start + i];
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowerCaseName[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBytes(byte[] data, int start, int end, byte[] other) {
        if (end - start != other.length) {
            return false;
        }
        for (int i = 0; i < other.length; i++) {
            if (data[start + i] != other[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] data, int from, int end) {
        while (from < end && (data[from] == ' ' || data[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] data, int start, int end) {
        while (end > start && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
            end--;
        }
        return end;
    }
}
