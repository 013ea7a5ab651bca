package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.ViaParser;
import java.lang.reflect.Field;
import java.text.ParseException;
import java.util.Map;
import javax.sip.header.ViaHeader;

/**
 * JAIN-SIP 1.3.0-91's Via parser with comments refused. Its comment loop (a '(' after sent-by) never ends when the
 * header ends inside an escape: it appends NULs until the JVM runs out of memory, so one datagram takes down a
 * worker thread (found by SipRequestFuzzTest). RFC 3261 has no comments in Via, so a Via holding '(' is refused as
 * malformed before the RI's parser sees it.
 */
public final class CommentFreeViaParser extends ViaParser {

    private final String via;

    public CommentFreeViaParser(String via) {
        super(via);
        this.via = via;
    }

    @Override
    public SIPHeader parse() throws ParseException {
        int comment = via.indexOf('(');
        if (comment >= 0) {
            throw new ParseException("a Via header has no comments (RFC 3261 20.42)", comment);
        }
        return super.parse();
    }

    /** Makes the RI's parser factory use this parser for {@code Via} and {@code v}, process-wide. */
    @SuppressWarnings("unchecked")
    public static void install() {
        try {
            Field table = ParserFactory.class.getDeclaredField("parserTable");
            table.setAccessible(true);
            Map<String, Class<?>> parsers = (Map<String, Class<?>>) table.get(null);
            parsers.put(ViaHeader.NAME.toLowerCase(), CommentFreeViaParser.class);
            parsers.put("v", CommentFreeViaParser.class);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("cannot replace JAIN-SIP's Via parser", e);
        }
    }
}
