package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SipMessageParser} against JAIN-SIP's own {@code StringMsgParser} (with the Via fix the stack installs):
 * for every message of the corpus, and for random mutants of it, both give the same message, header for header and
 * field for field, report the same parse problems to a listener, or fail in the same way.
 */
class SipMessageParserTest {

    private static final MessageParser RI = new StringMsgParser();
    private static final Pattern IDENTITY_HASH =
            Pattern.compile("(\\[C|\\b[a-z]+\\.[\\w.$]*[A-Z][\\w$]*)@[0-9a-f]+\\b");

    @BeforeAll
    static void viaParserAsInTheStack() {
        CommentFreeViaParser.install();
    }

    @Test
    void sippCallsAndRegistrationsParseAsWithTheRi() {
        List<String> messages = new ArrayList<>();
        IntStream.range(0, 3).forEach(n -> {
            messages.addAll(SipMessageCorpus.sippCall(n));
            messages.addAll(SipMessageCorpus.sippRegistration(n));
        });

        assertAllParseAsWithTheRi(messages);
        assertThat(outcome(SipMessageParser.INSTANCE, messages.get(0), null))
                .as("the corpus parses").startsWith(SIPRequest.class.getName()).contains("CSeq: 1 INVITE");
    }

    @Test
    void unusualSpellingsAndMalformedMessagesParseOrFailAsWithTheRi() {
        assertAllParseAsWithTheRi(SipMessageCorpus.unusual());
    }

    @Test
    @Timeout(300)
    void randomMutantsParseOrFailAsWithTheRi() {
        List<String> seeds = new ArrayList<>(SipMessageCorpus.unusual());
        seeds.addAll(SipMessageCorpus.sippCall(7));
        seeds.addAll(SipMessageCorpus.sippRegistration(7));

        assertAllParseAsWithTheRi(SipMessageCorpus.mutants(seeds, 20_000, 20261127L));
    }

    @Test
    void everyHeaderNameOfTheRiFactoryGetsTheRiParserInAnyCase() throws Exception {
        Map<String, Class<?>> riTable = riParserTable();

        assertThat(HeaderParserTable.PARSERS.keySet()).containsExactlyInAnyOrderElementsOf(riTable.keySet());
        for (Map.Entry<String, Class<?>> entry : riTable.entrySet()) {
            for (String name : List.of(entry.getKey(), entry.getKey().toUpperCase(), mixedCase(entry.getKey()))) {
                String line = name + ": x\n";
                HeaderParser ours = SipMessageParser.parserFor(line);
                assertThat(ours).as(name).isInstanceOf(entry.getValue());
                assertThat(ours.getClass()).as(name).isEqualTo(ParserFactory.createParser(line).getClass());
            }
        }
        assertThat(riTable.get("via")).isEqualTo(CommentFreeViaParser.class);
    }

    @Test
    void namesWithoutAParserOfTheirOwnGetTheGenericOne() throws ParseException {
        String line = "X-Anything: some value \n";
        SIPHeader header = SipMessageParser.parserFor(line).parse();

        assertThat(header.getName()).isEqualTo("X-Anything");
        assertThat(header.getHeaderValue()).isEqualTo("some value");
        assertThat(header.debugDump()).isEqualTo(ParserFactory.createParser(line).parse().debugDump());
    }

    @Test
    void plainFormsAreParsedByHandIntoWhatTheRiBuilds() throws ParseException {
        for (String header : List.of("CSeq: 1 INVITE", "CSeq:  4294967 REGISTER\t", "Call-ID: a@b", "i:  x y ",
                "Content-Length: 0", "l: 139 ", "Max-Forwards: 70", "Max-Forwards: 255", "Expires: 3600",
                "Content-Type: application/sdp", "c: text/plain ")) {
            int colon = header.indexOf(':');
            SIPHeader plain = HeaderParserTable.find(header, 0, colon).plain().parse(header, colon + 1);

            assertThat(plain).as(header).isNotNull();
            assertThat(plain.debugDump()).as(header)
                    .isEqualTo(ParserFactory.createParser(header + "\n").parse().debugDump());
        }
        for (String header : List.of("CSeq: 1 FOO", "CSeq: 1INVITE", "CSeq: 1234567890 INVITE", "Call-ID: ",
                "Content-Length: 1 2", "Max-Forwards: 256", "Expires: 3600 ", "Content-Type: a/b;c=d")) {
            int colon = header.indexOf(':');

            assertThat(HeaderParserTable.find(header, 0, colon).plain().parse(header, colon + 1)).as(header).isNull();
        }
        assertThat(PlainHeaderParsers.statusLine("SIP/2.0 180 Ringing").debugDump())
                .isEqualTo(new StringMsgParser().parseSIPStatusLine("SIP/2.0 180 Ringing").debugDump());
    }

    private static void assertAllParseAsWithTheRi(List<String> messages) {
        for (String message : messages) {
            for (boolean withListener : new boolean[] {false, true}) {
                assertThat(outcome(SipMessageParser.INSTANCE, message, withListener ? new Recording() : null))
                        .as("parsing, %s listener:\n%s", withListener ? "with" : "without", message)
                        .isEqualTo(outcome(RI, message, withListener ? new Recording() : null));
            }
        }
    }

    /**
     * Everything the stack could see of a parse: the message's class and encoding, each header's class, name,
     * encoding and fields, unparsed headers, body, what the listener was told; or the exception.
     */
    private static String outcome(MessageParser parser, String text, Recording listener) {
        StringBuilder d = new StringBuilder();
        try {
            SIPMessage m = parser.parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, listener);
            if (m == null) {
                d.append("null");
            } else {
                d.append(m.getClass().getName()).append('\n').append(m.encode()).append('\n');
                if (m instanceof SIPRequest request && request.getRequestLine() != null) {
                    d.append(request.getRequestLine().debugDump()).append('\n');
                } else if (m instanceof SIPResponse response && response.getStatusLine() != null) {
                    d.append(response.getStatusLine().debugDump()).append('\n');
                }
                for (Iterator<SIPHeader> it = m.getHeaders(); it.hasNext(); ) {
                    SIPHeader h = it.next();
                    d.append(h.getClass().getName()).append(' ').append(h.getName()).append(' ')
                            .append(h.encode()).append(h.debugDump()).append('\n');
                }
                m.getUnrecognizedHeaders().forEachRemaining(u -> d.append("unparsed ").append(u).append('\n'));
                d.append("size ").append(m.getSize()).append(" body ");
                if (m.getRawContent() != null) {
                    d.append(new String(m.getRawContent(), StandardCharsets.UTF_8));
                }
            }
        } catch (Exception e) {
            d.append(e.getClass().getName()).append(": ").append(e.getMessage());
            if (e instanceof ParseException p) {
                d.append(" at ").append(p.getErrorOffset());
            }
        }
        if (listener != null) {
            d.append("\nlistener: ").append(listener.told);
        }
        // Object.toString of a char[] or of an object without its own: the identity hash differs from run to run.
        return IDENTITY_HASH.matcher(d).replaceAll("$1@");
    }

    /** Notes what it is told and, as the stack's UDP channel does, refuses the message for a required header. */
    private static final class Recording implements ParseExceptionListener {
        final List<String> told = new ArrayList<>();

        @Override
        public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header,
                String rawMessage) throws ParseException {
            told.add(ex.getMessage() + " at " + ex.getErrorOffset() + ", " + headerClass + ", " + header + ", "
                    + rawMessage);
            if (headerClass != null && List.of("From", "To", "CSeq", "Via", "CallID", "ContentLength",
                    "RequestLine", "StatusLine").contains(headerClass.getSimpleName())) {
                throw ex;
            }
            message.addUnparsed(header);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Class<?>> riParserTable() throws ReflectiveOperationException {
        Field table = ParserFactory.class.getDeclaredField("parserTable");
        table.setAccessible(true);
        return Map.copyOf((Map<String, Class<?>>) table.get(null));
    }

    private static String mixedCase(String name) {
        StringBuilder mixed = new StringBuilder(name);
        for (int i = 0; i < mixed.length(); i += 2) {
            mixed.setCharAt(i, Character.toUpperCase(mixed.charAt(i)));
        }
        return mixed.toString();
    }
}
