package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.TimeStampHeader;
import javax.sip.header.ViaHeader;
import org.junit.jupiter.api.Test;

/**
 * The refusal written from raw bytes carries what JAIN-SIP's own stateless refusal carries: every header field
 * {@code createResponse} copies, with the top Via as the stack's UDP channel changes it on reception (the test
 * does that change on the parsed request as {@code UDPMessageChannel.processIncomingDataPacket} does).
 */
class RawResponseWriterTest {

    private static final String SOURCE = "127.0.0.1";
    private static final int SOURCE_PORT = 40000;
    private static final byte[] STATUS_LINE = "SIP/2.0 503 Overloaded".getBytes(StandardCharsets.US_ASCII);

    private final RawSipRequest request = new RawSipRequest();
    private final RawResponseWriter writer = new RawResponseWriter(2048);

    @Test
    void rportGetsTheSourcePortAndReceivedTheSourceAddress() throws Exception {
        SIPResponse refusal = assertLikeTheStack(invite("v: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport"));
        assertThat(topVia(refusal)).isEqualTo("SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport=40000;received=127.0.0.1");
    }

    @Test
    void rportFromTheSourceAddressStillGetsReceived() throws Exception {
        SIPResponse refusal = assertLikeTheStack(invite("Via: SIP/2.0/UDP 127.0.0.1:40000;rport;branch=z9hG4bK-1"));
        assertThat(topVia(refusal)).isEqualTo("SIP/2.0/UDP 127.0.0.1:40000;rport=40000;branch=z9hG4bK-1;received=127.0.0.1");
    }

    @Test
    void aSentByThatIsNotTheSourceGetsReceived() throws Exception {
        SIPResponse refusal = assertLikeTheStack(invite("Via: SIP/2.0/UDP phone.example.test;branch=z9hG4bK-1"));
        assertThat(topVia(refusal)).isEqualTo("SIP/2.0/UDP phone.example.test;branch=z9hG4bK-1;received=127.0.0.1");
    }

    @Test
    void aSentByThatIsTheSourceIsCopiedAsItIs() throws Exception {
        SIPResponse refusal = assertLikeTheStack(invite("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1"));
        assertThat(topVia(refusal)).isEqualTo("SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1");
    }

    @Test
    void existingReceivedAndRportValuesAreReplacedInPlace() throws Exception {
        SIPResponse refusal = assertLikeTheStack(
                invite("Via: SIP/2.0/UDP 10.0.0.1:5070 ; received=192.0.2.1 ;branch=z9hG4bK-1; rport=9"));
        assertThat(topVia(refusal)).isEqualTo("SIP/2.0/UDP 10.0.0.1:5070;received=127.0.0.1;branch=z9hG4bK-1;rport=40000");
    }

    @Test
    void copiesEveryViaInOrderIncludingCommaSeparatedOnes() throws Exception {
        SIPResponse refusal = assertLikeTheStack(invite(
                "v: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport , SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-2\r\n"
                + "Via: SIP/2.0/TCP 10.0.0.3:5080;branch=z9hG4bK-3,SIP/2.0/UDP 10.0.0.4;branch=z9hG4bK-4;received=10.9.9.9"));
        assertThat(vias(refusal)).containsExactly(
                "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport=40000;received=127.0.0.1",
                "SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-2",
                "SIP/2.0/TCP 10.0.0.3:5080;branch=z9hG4bK-3",
                "SIP/2.0/UDP 10.0.0.4;branch=z9hG4bK-4;received=10.9.9.9");
    }

    @Test
    void carriesTheRefusalsToTagRetryAfterAndTimestamp() throws Exception {
        String text = invite("Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport")
                .replace("Max-Forwards: 70\r\n", "Timestamp: 54.2\r\n");
        SIPResponse refusal = assertLikeTheStack(text);
        assertThat(refusal.getStatusCode()).isEqualTo(503);
        assertThat(refusal.getReasonPhrase()).isEqualTo("Overloaded");
        assertThat(refusal.getToTag()).isEqualTo("rf-" + Long.toString(1234, 36));
        assertThat(((RetryAfterHeader) refusal.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(2);
        assertThat(((TimeStampHeader) refusal.getHeader(TimeStampHeader.NAME)).getTimeStamp()).isEqualTo(54.2f);
        assertThat(refusal.getContentLength().getContentLength()).isZero();
        assertThat(refusal.getRawContent()).isNull();
    }

    @Test
    void aToTagAlreadyThereIsKept() throws Exception {
        String text = invite("Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1")
                .replace("INVITE", "REGISTER").replace("To: <sip:bob@example.test>", "t: <sip:bob@example.test>;tag=b7");
        SIPResponse refusal = assertLikeTheStack(text);
        assertThat(refusal.getToTag()).isEqualTo("b7");
    }

    @Test
    void anAnswerWrittenLaterFromTheCopiedFieldsIsTheOneWrittenFromTheRequest() {
        String text = invite("Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1;rport\r\nVia: SIP/2.0/UDP 10.0.0.2")
                .replace("Max-Forwards: 70\r\n", "Timestamp: 54.2\r\n");
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(request.scan(bytes, bytes.length)).isTrue();
        byte[] source = SOURCE.getBytes(StandardCharsets.US_ASCII);
        byte[] tagPrefix = "rg-".getBytes(StandardCharsets.US_ASCII);
        writer.start(request, STATUS_LINE, source, SOURCE_PORT, tagPrefix, 77);
        writer.header("Date: ".getBytes(StandardCharsets.US_ASCII), "Sat, 13 Nov 2010 23:29:00 GMT");
        assertThat(writer.finish()).isTrue();
        String fromTheRequest = new String(writer.buffer(), 0, writer.length(), StandardCharsets.US_ASCII);

        byte[] fields = writer.copiedFields(request, source, SOURCE_PORT, tagPrefix, 77);
        bytes[0] = 'X'; // the request's buffer may be gone by the time the answer is written
        writer.start(STATUS_LINE, fields);
        writer.header("Date: ".getBytes(StandardCharsets.US_ASCII), "Sat, 13 Nov 2010 23:29:00 GMT");
        assertThat(writer.finish()).isTrue();

        assertThat(new String(writer.buffer(), 0, writer.length(), StandardCharsets.US_ASCII))
                .isEqualTo(fromTheRequest).contains(";rport=40000;received=127.0.0.1", "Via: SIP/2.0/UDP 10.0.0.2",
                        ";tag=rg-25", "Timestamp: 54.2");
    }

    @Test
    void aRefusalThatDoesNotFitIsNotWritten() {
        String text = invite("Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1");
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(request.scan(bytes, bytes.length)).isTrue();
        RawResponseWriter small = new RawResponseWriter(100);
        assertThat(small.write(request, STATUS_LINE, SOURCE.getBytes(), SOURCE_PORT, "rf-".getBytes(), 1, 2))
                .isFalse();
    }

    /**
     * Writes the refusal of {@code text}, parses it, and checks it against the one JAIN-SIP builds: same Vias (the
     * top one as the stack changes it), From, To but for the tag, Call-ID, CSeq and Timestamp.
     */
    private SIPResponse assertLikeTheStack(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(request.scan(bytes, bytes.length)).as("recognised").isTrue();
        assertThat(writer.write(request, STATUS_LINE, SOURCE.getBytes(StandardCharsets.US_ASCII), SOURCE_PORT,
                "rf-".getBytes(StandardCharsets.US_ASCII), 1234, 2)).isTrue();
        SIPResponse raw = (SIPResponse) new StringMsgParser().parseSIPMessage(
                Arrays.copyOf(writer.buffer(), writer.length()), true, false, null);

        SIPRequest parsed = (SIPRequest) new StringMsgParser().parseSIPMessage(bytes, true, false, null);
        receivedAsTheStackDoes(parsed.getTopmostVia());
        SIPResponse stack = parsed.createResponse(503, "Overloaded");

        assertThat(vias(raw)).isEqualTo(vias(stack));
        assertThat(raw.getFrom().toString()).isEqualTo(stack.getFrom().toString());
        if (stack.getToTag() == null) {
            stack.getTo().setTag(raw.getToTag());
        }
        assertThat(raw.getTo().toString()).isEqualTo(stack.getTo().toString());
        assertThat(raw.getCallId().toString()).isEqualTo(stack.getCallId().toString());
        assertThat(raw.getCSeq().toString()).isEqualTo(stack.getCSeq().toString());
        assertThat(String.valueOf(raw.getHeader(TimeStampHeader.NAME)))
                .isEqualTo(String.valueOf(stack.getHeader(TimeStampHeader.NAME)));
        return raw;
    }

    /** What UDPMessageChannel.processIncomingDataPacket does to a received request's top Via. */
    private static void receivedAsTheStackDoes(Via top) throws Exception {
        boolean rport = top.hasParameter(Via.RPORT);
        if (rport || !top.getHost().equals(SOURCE)) {
            top.setParameter(Via.RECEIVED, SOURCE);
        }
        if (rport) {
            top.setParameter(Via.RPORT, Integer.toString(SOURCE_PORT));
        }
    }

    private static List<String> vias(SIPResponse response) {
        List<String> vias = new ArrayList<>();
        ListIterator<?> it = response.getHeaders(ViaHeader.NAME);
        while (it.hasNext()) {
            String header = ((Via) it.next()).encode();
            vias.add(header.substring(header.indexOf(':') + 1).trim());
        }
        return vias;
    }

    private static String topVia(SIPResponse response) {
        return vias(response).get(0);
    }

    private static String invite(String viaLines) {
        return "INVITE sip:bob@example.test SIP/2.0\r\n"
                + viaLines + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice A.\" <sip:alice@example.test>;tag=a1\r\n"
                + "To: <sip:bob@example.test>\r\n"
                + "Call-ID: c1@10.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: 4\r\n\r\n"
                + "v=0\n";
    }
}
