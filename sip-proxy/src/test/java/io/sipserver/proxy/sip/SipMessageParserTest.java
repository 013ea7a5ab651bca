package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipserver.registrar.auth.DigestCredentials;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SipMessageParser} against JAIN-SIP's own {@code StringMsgParser} (with the Via fix the stack installs):
 * for every message of the corpus, and for random mutants of it, both give the same message, header for header and
 * field for field (every field of the message's object graph, the getters a user calls, equals and hashCode),
 * report the same parse problems to a listener, or fail in the same way.
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
        for (String header : List.of("From: \"Alice\" <sip:alice@example.test>;tag=1",
                "f: Bob <sips:+1-555@192.0.2.1:5061;user=phone>", "To: sip:callee@Example.TEST;TAG=X",
                "Contact: <sip:a@192.0.2.1:5060;ob>;expires=60;q=0.5;+sip.instance=\"<urn:uuid:1>\", <sip:b@h>",
                "Route: <sip:p.example.test;lr>, <sip:192.0.2.7:5070;transport=tcp;lr>",
                "Record-Route: <sip:127.0.0.1:15066;transport=udp;lr>",
                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport, SIP/2.0/TCP h;Received=192.0.2.9;rport=7")) {
            int colon = header.indexOf(':');
            SIPHeader plain = HeaderParserTable.find(header, 0, colon).plain().parse(header, colon + 1);

            assertThat(plain).as(header).isNotNull();
            assertThat(graph(plain)).as(header).isEqualTo(graph(ParserFactory.createParser(header + "\n").parse()));
        }
        for (String header : List.of("From: <sip:a@[::1]>", "To: <tel:+1555>", "Contact: *", "Route: <sip:h?a=b>",
                "Via: SIP/2.0/UDP h (comment)", "From: <sip:%61@h>", "To: <sip:a:pw@h>", "From: \"a\\\"b\" <sip:a@h>")) {
            int colon = header.indexOf(':');

            assertThat(HeaderParserTable.find(header, 0, colon).plain().parse(header, colon + 1)).as(header).isNull();
        }
        assertThat(PlainHeaderParsers.statusLine("SIP/2.0 180 Ringing").debugDump())
                .isEqualTo(new StringMsgParser().parseSIPStatusLine("SIP/2.0 180 Ringing").debugDump());
    }

    private static void assertAllParseAsWithTheRi(List<String> messages) {
        for (String message : messages) {
            assertHeadersEqualTheRis(message);
            for (boolean withListener : new boolean[] {false, true}) {
                assertThat(outcome(SipMessageParser.INSTANCE, message, withListener ? new Recording() : null))
                        .as("parsing, %s listener:\n%s", withListener ? "with" : "without", message)
                        .isEqualTo(outcome(RI, message, withListener ? new Recording() : null));
            }
        }
    }

    /**
     * Each header, its address and its URI relate to the RI's as the RI's relate to those of a second RI parse:
     * equal both ways with the same hash code (the RI's equals is not always reflexive, a URI with headers never
     * equals itself parsed again, and a hash code may throw: the same answers, then).
     */
    private static void assertHeadersEqualTheRis(String message) {
        List<SIPMessage> parses = new ArrayList<>();
        for (MessageParser parser : new MessageParser[] {SipMessageParser.INSTANCE, RI, RI}) {
            try {
                parses.add(parser.parseSIPMessage(message.getBytes(StandardCharsets.UTF_8), true, false, null));
            } catch (ParseException refused) {
                return;
            }
        }
        if (parses.contains(null)) {
            return;
        }
        replaceCredentialsParsedByHand(parses.get(0), message);
        Iterator<SIPHeader> ours = parses.get(0).getHeaders();
        Iterator<SIPHeader> theirs = parses.get(1).getHeaders();
        Iterator<SIPHeader> again = parses.get(2).getHeaders();
        while (theirs.hasNext()) {
            List<SIPHeader> mine = HeaderGetters.each(ours.next());
            List<SIPHeader> ri = HeaderGetters.each(theirs.next());
            List<SIPHeader> riAgain = HeaderGetters.each(again.next());
            assertThat(mine).hasSameSizeAs(ri);
            for (int i = 0; i < mine.size(); i++) {
                List<Object[]> pairs = HeaderGetters.parts(mine.get(i), ri.get(i));
                List<Object[]> riPairs = HeaderGetters.parts(riAgain.get(i), ri.get(i));
                assertThat(pairs).hasSameSizeAs(riPairs);
                for (int p = 0; p < pairs.size(); p++) {
                    assertThat(relation(pairs.get(p)[0], pairs.get(p)[1])).as("%s in\n%s", pairs.get(p)[1], message)
                            .isEqualTo(relation(riPairs.get(p)[0], riPairs.get(p)[1]));
                }
            }
        }
        assertThat(ours.hasNext()).isFalse();
    }

    /**
     * Credentials headers parsed by hand differ from the RI's on purpose: they encode their value as received (the
     * RI's re-encoding drops the spaces around commas), and are not equal to the RI's header (another class). What
     * matters is checked here: the encoding is the received value byte for byte, the registrar's Digest parameters
     * are those it got from the RI's header, and the RI's getters answer the same, also after being read. Then each
     * is replaced by the RI's parse of its value, so that the rest of the message is compared field by field.
     */
    @SuppressWarnings("unchecked")
    private static void replaceCredentialsParsedByHand(SIPMessage ours, String text) {
        for (Iterator<SIPHeader> it = ours.getHeaders(); it.hasNext(); ) {
            if (!(it.next() instanceof SIPHeaderList<?> list)) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                SIPHeader mine = list.get(i);
                if (!(mine instanceof CredentialsHeaders.Received received)) {
                    continue;
                }
                String value = received.credentials().value();
                String encoded = mine.getName() + ": " + value + "\r\n";
                SIPHeader ri;
                try {
                    ri = ParserFactory.createParser(mine.getName() + ": " + value + "\n").parse();
                } catch (ParseException e) {
                    throw new AssertionError("the RI refuses credentials parsed by hand: " + value, e);
                }
                assertThat(text.replaceAll("\r?\n[ \t]+", " ")).as("received, lines unfolded").contains(value);
                assertThat(mine.encode()).isEqualTo(encoded);
                assertThat(digest(value)).as(value).isEqualTo(digest(ri.getHeaderValue()));
                assertThat(received.credentials().digest() != null ? received.credentials().digest().toString()
                        : "refused: " + received.credentials().error().getMessage()).isEqualTo(digest(value));
                assertThat(getters(mine)).as(value).isEqualTo(getters(ri));
                assertThat(mine.encode()).as("encoding after the getters").isEqualTo(encoded);
                ((List<SIPHeader>) list).set(i, ri);
            }
        }
    }

    private static String digest(String value) {
        try {
            return DigestCredentials.parse(value).toString();
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String getters(SIPHeader header) {
        StringBuilder d = new StringBuilder();
        HeaderGetters.describe(header, d);
        return d.toString();
    }

    /** Whether the two are equal either way and have the same hash code, or what these threw. */
    private static String relation(Object one, Object other) {
        StringBuilder r = new StringBuilder();
        for (Supplier<Object> question : List.<Supplier<Object>>of(
                () -> one.equals(other), () -> other.equals(one), () -> one.hashCode() == other.hashCode())) {
            try {
                r.append(question.get()).append(' ');
            } catch (RuntimeException e) {
                r.append(e.getClass().getName()).append(' ');
            }
        }
        return r.toString();
    }

    /**
     * Everything the stack could see of a parse: the message's class and encoding, each header's class, name,
     * encoding and fields, unparsed headers, body, what the listener was told; or the exception.
     */
    private static String outcome(MessageParser parser, String text, Recording listener) {
        StringBuilder d = new StringBuilder();
        SIPMessage m = null;
        try {
            m = parser.parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, listener);
            if (m == null) {
                d.append("null");
            } else {
                if (parser == SipMessageParser.INSTANCE) {
                    replaceCredentialsParsedByHand(m, text);
                }
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
                    HeaderGetters.describe(h, d);
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
        String seen = IDENTITY_HASH.matcher(d).replaceAll("$1@");
        // Every field of the message, which holds no identity hash codes.
        return m == null ? seen : seen + "\nfields " + graph(m);
    }

    private static String graph(Object o) {
        StringBuilder d = new StringBuilder();
        ObjectGraph.dump(o, d);
        return d.toString();
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
