package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.Expires;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.Set;
import javax.sip.InvalidArgumentException;
import javax.sip.message.Request;

/**
 * Hand-written parsers for the plain form of the simplest, most frequent header values and of the status line,
 * which build exactly the objects JAIN-SIP's parsers build from them (the same classes, through the same setters).
 * Each returns null for anything but the plain form (other spacing, parameters, out-of-range numbers, non-ASCII),
 * and the caller then leaves the header to the RI's parser, which parses or refuses it as it always did. A header
 * parser reads its line (without line end) from {@code from}, just after the colon.
 */
final class PlainHeaderParsers {

    /** At most nine digits: every such number fits an int, so no overflow case differs from the RI's. */
    private static final int MAX_DIGITS = 9;

    /** Methods that are not also header names (the RI's CSeq parser refuses those) and that it keeps as written. */
    private static final Set<String> METHODS = Set.of(Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL,
            Request.REGISTER, Request.OPTIONS, Request.PRACK, Request.UPDATE, Request.SUBSCRIBE, Request.NOTIFY,
            Request.PUBLISH, Request.MESSAGE, Request.INFO, Request.REFER);

    private PlainHeaderParsers() {
    }

    /** A parser for one header's plain form. */
    @FunctionalInterface
    interface PlainHeaderParser {
        /** The header, or null when {@code line[from, end)} is not the plain form. */
        SIPHeader parse(String line, int from);
    }

    /** {@code 1 INVITE}. */
    static SIPHeader cSeq(String line, int from) {
        int digits = skipSpace(line, from);
        int end = skipDigits(line, digits);
        int method = skipSpace(line, end);
        if (end == digits || end - digits > MAX_DIGITS || method == end) {
            return null;
        }
        int methodEnd = method;
        while (methodEnd < line.length() && line.charAt(methodEnd) > ' ') {
            methodEnd++;
        }
        String name = line.substring(method, methodEnd);
        if (!METHODS.contains(name) || skipSpace(line, methodEnd) != line.length()) {
            return null;
        }
        CSeq cSeq = new CSeq();
        try {
            cSeq.setSeqNumber(Long.parseLong(line, digits, end, 10));
            cSeq.setMethod(SIPRequest.getCannonicalName(name).intern());
        } catch (InvalidArgumentException | ParseException notReached) {
            return null;
        }
        return cSeq;
    }

    /** Anything after the colon: the RI takes the trimmed rest of the line, whatever it holds. */
    static SIPHeader callId(String line, int from) {
        String id = line.substring(from).trim();
        if (id.isEmpty()) {
            return null;
        }
        CallID callId = new CallID();
        try {
            callId.setCallId(id);
        } catch (ParseException refused) {
            return null;
        }
        return callId;
    }

    /** {@code 0}, spaces around allowed. */
    static SIPHeader contentLength(String line, int from) {
        return numberHeader(line, from, true, Integer.MAX_VALUE, number -> {
            ContentLength contentLength = new ContentLength();
            contentLength.setContentLength(number);
            return contentLength;
        });
    }

    /** {@code 70}, spaces around allowed, at most 255. */
    static SIPHeader maxForwards(String line, int from) {
        return numberHeader(line, from, true, 255, number -> {
            MaxForwards maxForwards = new MaxForwards();
            maxForwards.setMaxForwards(number);
            return maxForwards;
        });
    }

    /** {@code 3600}, no space after it (the RI refuses a space there). */
    static SIPHeader expires(String line, int from) {
        return numberHeader(line, from, false, Integer.MAX_VALUE, number -> {
            Expires expires = new Expires();
            expires.setExpires(number);
            return expires;
        });
    }

    /** Builds a header from its one number. */
    @FunctionalInterface
    private interface NumberHeader {
        SIPHeader of(int number) throws InvalidArgumentException;
    }

    /** The header {@code make} builds from the line's plain number up to {@code max}, or null for anything else. */
    private static SIPHeader numberHeader(String line, int from, boolean spaceAfter, int max, NumberHeader make) {
        int number = plainNumber(line, from, spaceAfter);
        if (number < 0 || number > max) {
            return null;
        }
        try {
            return make.of(number);
        } catch (InvalidArgumentException notReached) {
            return null;
        }
    }

    /** {@code application/sdp}: two tokens, no parameters. */
    static SIPHeader contentType(String line, int from) {
        int type = skipSpace(line, from);
        int slash = skipToken(line, type);
        if (slash == type || slash >= line.length() || line.charAt(slash) != '/') {
            return null;
        }
        int subtype = slash + 1;
        int end = skipToken(line, subtype);
        if (end == subtype || skipSpace(line, end) != line.length()) {
            return null;
        }
        ContentType contentType = new ContentType();
        try {
            contentType.setContentType(line.substring(type, slash));
            contentType.setContentSubType(line.substring(subtype, end));
        } catch (ParseException notReached) {
            return null;
        }
        return contentType;
    }

    /** {@code SIP/2.0 200 OK} (the reason phrase may be empty). */
    static StatusLine statusLine(String line) {
        String version = "SIP/2.0 ";
        if (!line.startsWith(version)) {
            return null;
        }
        int digits = version.length();
        int end = skipDigits(line, digits);
        if (end == digits || end - digits > MAX_DIGITS) {
            return null;
        }
        StatusLine statusLine = new StatusLine();
        statusLine.setSipVersion("SIP/2.0");
        statusLine.setStatusCode(Integer.parseInt(line, digits, end, 10));
        statusLine.setReasonPhrase(line.substring(end).trim());
        return statusLine;
    }

    /** The number, or -1 when {@code line[from, end)} is not one plain number (spaces after it if allowed). */
    private static int plainNumber(String line, int from, boolean spaceAfter) {
        int digits = skipSpace(line, from);
        int end = skipDigits(line, digits);
        int last = spaceAfter ? skipSpace(line, end) : end;
        if (end == digits || end - digits > MAX_DIGITS || last != line.length()) {
            return -1;
        }
        return Integer.parseInt(line, digits, end, 10);
    }

    private static int skipSpace(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipDigits(String line, int i) {
        while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** RFC 3261 token characters, ASCII only (the RI's lexer also takes non-ASCII letters; those go to it). */
    static int skipToken(String line, int i) {
        while (i < line.length() && PlainAddressParsers.isTokenChar(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
