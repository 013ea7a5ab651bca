package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * JAIN-SIP 1.3.0-91's message parser made cheaper; what it returns and throws is the RI's. The RI's
 * {@code ParserFactory} lower-cases each header name through a shared map, looks the parser class up in another
 * and creates the parser by reflection, an access-checked {@code Constructor.newInstance} per header. Here the name
 * is looked up in {@link HeaderParserTable}, the same table as constructor references, on the header line's own
 * characters. And the plain form of the simplest headers, of the address headers and Via, and of the status line,
 * most of those in a call, is parsed by hand ({@link PlainHeaderParsers}, {@link PlainAddressParsers}), without
 * the RI's lexer.
 *
 * <p>Holds no state: one instance serves every thread, as the RI's own factory shares one parser.
 */
public final class SipMessageParser extends StringMsgParser {

    /** The one instance the stack, the valve and the warm-up share. */
    public static final SipMessageParser INSTANCE = new SipMessageParser();

    static {
        // Names left to the RI's factory (non-ASCII ones) must not reach its Via parser either.
        CommentFreeViaParser.install();
    }

    private SipMessageParser() {
    }

    /**
     * As the RI's: the header's plain form parsed by hand where {@link HeaderParserTable} has a parser for it,
     * otherwise the RI's parser, found in {@link HeaderParserTable}.
     */
    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener,
            byte[] rawMessage) throws ParseException {
        if (header == null || header.isEmpty()) {
            return;
        }
        HeaderName name = HeaderName.of(header);
        SIPHeader parsed = name.plainForm(header);
        HeaderParser parser = null;
        if (parsed == null) {
            try {
                parser = name.parser(header + "\n");
            } catch (ParseException noName) {
                if (listener == null) {
                    throw noName;
                }
                listener.handleException(noName, message, null, header, null);
                return;
            }
        }
        try {
            message.attachHeader(parsed != null ? parsed : parser.parse(), false);
        } catch (ParseException malformed) {
            // Without a listener the RI drops a malformed header silently; so does this.
            if (listener != null) {
                listener.handleException(malformed, message, headerClassOf(header), header,
                        new String(rawMessage, StandardCharsets.UTF_8));
            }
        }
    }

    /** As the RI's, with a status line's plain form parsed by hand. */
    @Override
    protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] rawMessage)
            throws ParseException {
        StatusLine plain = PlainHeaderParsers.statusLine(firstLine);
        if (plain == null) {
            return super.processFirstLine(firstLine, listener, rawMessage);
        }
        SIPResponse response = new SIPResponse();
        response.setStatusLine(plain);
        return response;
    }

    /** The RI's {@code ParserFactory.createParser(line)}, for tests. */
    static HeaderParser parserFor(String line) throws ParseException {
        return HeaderName.of(line).parser(line);
    }

    /**
     * Where a header line's name is and the parsers for it. As the RI's {@code ParserFactory}, the name is what
     * precedes the first colon, trimmed; no colon, or one in first place, is an error.
     */
    private record HeaderName(int colon, boolean bare, boolean ascii, HeaderParserTable.Parsers parsers) {

        static HeaderName of(String header) {
            int colon = header.indexOf(':');
            if (colon < 1) {
                return new HeaderName(colon, false, true, null);
            }
            int from = 0;
            while (from < colon && header.charAt(from) <= ' ') {
                from++;
            }
            int to = colon;
            while (to > from && header.charAt(to - 1) <= ' ') {
                to--;
            }
            for (int i = from; i < to; i++) {
                if (header.charAt(i) >= 0x80) {
                    return new HeaderName(colon, false, false, null);
                }
            }
            return new HeaderName(colon, from == 0 && to == colon, true, HeaderParserTable.find(header, from, to));
        }

        /** The header parsed by hand, or null when there is no parser for its plain form or it is not plain. */
        SIPHeader plainForm(String header) {
            // The RI's parsers read the name from the line's first character up to the colon.
            return bare && parsers != null && parsers.plain() != null ? parsers.plain().parse(header, colon + 1) : null;
        }

        /** The RI's parser for the line, which ends with a line feed as the RI's parsers need. */
        HeaderParser parser(String line) throws ParseException {
            if (colon < 1) {
                throw new ParseException("The header name or value is null", 0);
            }
            if (!ascii) {
                // String.toLowerCase maps a few non-ASCII letters to ASCII ones (KELVIN SIGN to 'k'): the RI decides.
                return ParserFactory.createParser(line);
            }
            // A name without a parser of its own gets the generic one.
            return parsers != null ? parsers.full().apply(line) : new GenericHeaderParser(line);
        }
    }

    /** What the RI reports to a parse-exception listener as the class of a malformed header. */
    private static Class<?> headerClassOf(String header) {
        Class<?> known = NameMap.getClassFromName(Lexer.getHeaderName(header));
        return known != null ? known : ExtensionHeaderImpl.class;
    }

    /** The RI's parser for headers it has no parser for: an {@code ExtensionHeaderImpl} with name and value. */
    private static final class GenericHeaderParser extends HeaderParser {
        GenericHeaderParser(String line) {
            super(line);
        }
    }
}
