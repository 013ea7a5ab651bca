package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawSipRequestTest {

    private static final String INVITE = """
            INVITE sip:bob@example.test SIP/2.0\r
            Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-Abc.1;rport\r
            Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-older\r
            Max-Forwards: 70\r
            From: "Alice" <sip:alice@example.test>;tag=a1\r
            To: <sip:bob@example.test>\r
            Call-ID: c1@10.0.0.1\r
            CSeq: 1 INVITE\r
            Content-Type: application/sdp\r
            Content-Length: 4\r
            \r
            v=0
            """;

    private final RawSipRequest request = new RawSipRequest();

    @Test
    void findsTheMethodTheHeaderFieldsAndTheTopViaOfAnInitialInvite() {
        assertThat(scan(INVITE)).isTrue();
        assertThat(request.method()).isEqualTo("INVITE");
        assertThat(request.hasToTag()).isFalse();
        assertThat(request.viaCount()).isEqualTo(2);
        assertThat(value(request.viaStart(1), request.viaEnd(1))).isEqualTo("SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-older");
        assertThat(value(request.topHostStart(), request.topHostEnd())).isEqualTo("10.0.0.1");
        assertThat(request.topPort()).isEqualTo(5070);
        assertThat(request.hasRport()).isTrue();
        assertThat(request.hasRfc3261Branch()).isTrue();
        assertThat(request.transactionKey()).isEqualTo("z9hg4bk-abc.1");
        assertThat(value(request.fromStart(), request.fromEnd())).isEqualTo("\"Alice\" <sip:alice@example.test>;tag=a1");
        assertThat(value(request.toStart(), request.toEnd())).isEqualTo("<sip:bob@example.test>");
        assertThat(value(request.callIdStart(), request.callIdEnd())).isEqualTo("c1@10.0.0.1");
        assertThat(value(request.cseqStart(), request.cseqEnd())).isEqualTo("1 INVITE");
        assertThat(request.timestampStart()).isEqualTo(-1);
    }

    @Test
    void findsWhatARegistrarNeedsInARegister() {
        String register = """
                REGISTER sip:example.test:5060 SIP/2.0\r
                Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-r1;rport\r
                From: <sip:alice@example.test>;tag=a1\r
                To: "Alice" <sip:alice:secret@example.test;transport=udp>\r
                Call-ID: r1@10.0.0.1\r
                CSeq: 42 REGISTER\r
                Contact: <sip:alice@10.0.0.1:5070>;expires=600, <sip:alice@10.0.0.1:5080>\r
                m: *\r
                Expires: 3600\r
                Authorization: Digest username="alice"\r
                User-Agent: Phone/1.0 (test)\r
                Content-Length: 0\r
                \r
                """;
        assertThat(scan(register)).isTrue();
        assertThat(value(request.requestUriStart(), request.requestUriEnd())).isEqualTo("sip:example.test:5060");
        assertThat(request.sipUri(request.requestUriStart(), request.requestUriEnd())).isTrue();
        assertThat(request.uriUserStart()).isEqualTo(-1);
        assertThat(value(request.uriHostStart(), request.uriHostEnd())).isEqualTo("example.test");
        assertThat(request.uriPort()).isEqualTo(5060);
        assertThat(value(request.toUriStart(), request.toUriEnd()))
                .isEqualTo("sip:alice:secret@example.test;transport=udp");
        assertThat(request.sipUri(request.toUriStart(), request.toUriEnd())).isTrue();
        assertThat(value(request.uriUserStart(), request.uriUserEnd())).isEqualTo("alice");
        assertThat(value(request.uriHostStart(), request.uriHostEnd())).isEqualTo("example.test");
        assertThat(request.uriPort()).isEqualTo(-1);
        assertThat(request.contactCount()).isEqualTo(2);
        assertThat(value(request.contactStart(0), request.contactEnd(0)))
                .isEqualTo("<sip:alice@10.0.0.1:5070>;expires=600, <sip:alice@10.0.0.1:5080>");
        assertThat(value(request.contactStart(1), request.contactEnd(1))).isEqualTo("*");
        assertThat(value(request.expiresStart(), request.expiresEnd())).isEqualTo("3600");
        assertThat(request.authorizations()).isEqualTo(1);
        assertThat(value(request.authorizationStart(), request.authorizationEnd()))
                .isEqualTo("Digest username=\"alice\"");
        assertThat(request.text(request.userAgentStart(), request.userAgentEnd())).isEqualTo("Phone/1.0 (test)");
        assertThat(request.cseqNumber()).isEqualTo(42);
        assertThat(request.responsePort(40000)).as("rport").isEqualTo(40000);
        assertThat(request.routeCount()).isZero();
        assertThat(request.hasProxyRequire() || request.hasBody()).isFalse();
    }

    @Test
    void takesApartOnlyPlainSipUris() {
        assertThat(uri("sip:bob@10.0.0.1:5070;transport=tcp?subject=x")).isTrue();
        assertThat(request.uriPort()).isEqualTo(5070);
        assertThat(uri("sips:bob@example.test")).isFalse();
        assertThat(uri("tel:+15550100")).isFalse();
        assertThat(uri("sip:bob@[2001:db8::1]")).isFalse();
        assertThat(uri("sip:bob;npdi@example.test")).as("user parameters").isFalse();
        assertThat(uri("sip:bob@example.test:99999")).isFalse();
        assertThat(uri("sip:bob@")).isFalse();
    }

    /** Scans a REGISTER whose To URI is {@code uri}, then takes that apart. */
    private boolean uri(String uri) {
        String register = "REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1\r\n"
                + "From: <sip:a@example.test>;tag=1\r\nTo: <" + uri + ">\r\nCall-ID: 1\r\nCSeq: 1 REGISTER\r\n\r\n";
        assertThat(scan(register)).isTrue();
        return request.sipUri(request.toUriStart(), request.toUriEnd());
    }

    @Test
    void readsCompactAndOddlyCasedHeaderNamesWithWhitespaceBeforeTheColon() {
        String compact = """
                REGISTER sip:example.test SIP/2.0\r
                v : SIP/2.0/udp 10.0.0.1:5070 ;BRANCH=Z9HG4BK-reg , SIP/2.0/TCP proxy.example.test;branch=z9hG4bK-2\r
                F: <sip:alice@example.test>;tag=a1\r
                t:  "To, with <odd> name" <sip:alice@example.test> ; Tag = x9 \r
                i: reg-1\r
                cSeQ: 7   REGISTER\r
                TIMESTAMP: 54\r
                l: 0\r
                \r
                """;
        assertThat(scan(compact)).isTrue();
        assertThat(request.method()).isEqualTo("REGISTER");
        assertThat(request.viaCount()).isEqualTo(1);
        assertThat(value(request.viaStart(0), request.topViaEnd())).isEqualTo("SIP/2.0/udp 10.0.0.1:5070 ;BRANCH=Z9HG4BK-reg");
        assertThat(request.transactionKey()).isEqualTo("z9hg4bk-reg");
        assertThat(request.hasRport()).isFalse();
        assertThat(request.hasToTag()).isTrue();
        assertThat(request.toTagStartsWith("x9".getBytes())).isTrue();
        assertThat(value(request.timestampStart(), request.timestampEnd())).isEqualTo("54");
    }

    @Test
    void tellsAnAckForARefusalByItsToTag() {
        assertThat(scan(message("ACK", "<sip:bob@example.test>;tag=rf-1k"))).isTrue();
        assertThat(request.method()).isEqualTo("ACK");
        assertThat(request.toTagStartsWith("rf-".getBytes())).isTrue();

        assertThat(scan(message("ACK", "<sip:bob@example.test>;tag=callee-1"))).isTrue();
        assertThat(request.toTagStartsWith("rf-".getBytes())).isFalse();
    }

    @Test
    void aBranchWithoutTheRfc3261CookieIsNotATransactionKey() {
        assertThat(scan(INVITE.replace("branch=z9hG4bK-Abc.1", "branch=old-style"))).isTrue();
        assertThat(request.hasRfc3261Branch()).isFalse();
        assertThat(scan(INVITE.replace(";branch=z9hG4bK-Abc.1", ""))).isTrue();
        assertThat(request.hasRfc3261Branch()).isFalse();
    }

    @Test
    void leavesOtherMethodsAndResponsesToTheParser() {
        assertThat(scan(INVITE.replace("INVITE", "BYE"))).isFalse();
        assertThat(scan(INVITE.replace("INVITE sip:bob@example.test SIP/2.0", "SIP/2.0 200 OK"))).isFalse();
        assertThat(scan(INVITE.replace("INVITE sip", "invite sip"))).as("methods are case-sensitive").isFalse();
    }

    @Test
    void leavesWhatItCannotTakeApartWithCertaintyToTheParser() {
        String[][] cases = {
            {"folded line", "From: \"Alice\" <sip:alice@example.test>;tag=a1\r\n",
                    "From: \"Alice\"\r\n <sip:alice@example.test>;tag=a1\r\n"},
            {"bare LF", "Max-Forwards: 70\r\n", "Max-Forwards: 70\n"},
            {"control character", "Call-ID: c1@10.0.0.1", "Call-ID: c1\u0000@10.0.0.1"},
            {"no Call-ID", "Call-ID: c1@10.0.0.1\r\n", ""},
            {"two To", "To: <sip:bob@example.test>\r\n", "To: <sip:bob@example.test>\r\nt: <sip:carol@example.test>\r\n"},
            {"To without brackets", "To: <sip:bob@example.test>", "To: sip:bob@example.test"},
            {"quoted To tag", "To: <sip:bob@example.test>", "To: <sip:bob@example.test>;tag=\"x\""},
            {"CSeq of another method", "CSeq: 1 INVITE", "CSeq: 1 BYE"},
            {"CSeq without number", "CSeq: 1 INVITE", "CSeq: INVITE"},
            {"quoted Via parameter", ";rport\r\n", ";rport;x=\"y\"\r\n"},
            {"IPv6 Via", "10.0.0.1:5070", "[::1]:5070"},
            {"Via comment", ";rport\r\n", ";rport (comment)\r\n"},
            {"maddr", ";rport\r\n", ";rport;maddr=239.1.1.1\r\n"},
            {"port out of range", "10.0.0.1:5070", "10.0.0.1:65536"},
            {"not a Via", "SIP/2.0/UDP 10.0.0.2", "HTTP/1.1 10.0.0.2"},
            {"no end of headers", "\r\n\r\nv=0\n", "\r\n"},
            {"request line without version", "sip:bob@example.test SIP/2.0", "sip:bob@example.test"},
        };
        for (String[] c : cases) {
            String changed = INVITE.replace(c[1], c[2]);
            assertThat(changed).as(c[0]).isNotEqualTo(INVITE);
            assertThat(scan(changed)).as(c[0]).isFalse();
        }
    }

    @Test
    void tooManyViasAreLeftToTheParser() {
        String vias = "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-older\r\n".repeat(RawSipRequest.MAX_VIAS);
        assertThat(scan(INVITE.replace("Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-older\r\n", vias))).isFalse();
    }

    @Test
    void garbageNeverThrows() {
        byte[] valid = INVITE.getBytes(StandardCharsets.US_ASCII);
        for (int length = 0; length <= valid.length; length++) {
            request.scan(valid, length);
        }
        Random random = new Random(42);
        byte[] noise = new byte[2048];
        for (int i = 0; i < 20_000; i++) {
            byte[] datagram = valid.clone();
            for (int flips = random.nextInt(8); flips >= 0; flips--) {
                datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
            }
            if (request.scan(datagram, datagram.length)) {
                assertThat(request.method()).isIn("INVITE", "ACK", "REGISTER");
            }
            random.nextBytes(noise);
            request.scan(noise, random.nextInt(noise.length + 1));
        }
    }

    private boolean scan(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return request.scan(bytes, bytes.length);
    }

    private String value(int start, int end) {
        return new String(request.data(), start, end - start, StandardCharsets.UTF_8);
    }

    private static String message(String method, String to) {
        return method + " sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@example.test>;tag=a1\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
