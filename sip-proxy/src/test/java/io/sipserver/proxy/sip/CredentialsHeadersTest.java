package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import org.junit.jupiter.api.Test;

/** Credentials headers parsed by hand: what they accept, how they encode, what the registrar reads from them. */
class CredentialsHeadersTest {

    private static final String SIPP = "Digest username=\"alice\",realm=\"example.test\",uri=\"sip:example.test\","
            + "nonce=\"bm9uY2U=\",response=\"0123456789abcdef0123456789abcdef\",algorithm=MD5,qop=auth,"
            + "cnonce=\"6b8b4567\",nc=00000001";

    @Test
    void plainFormsAreTakenAsReceivedAndOthersLeftToTheRi() {
        for (String value : List.of(SIPP, "Digest username=\"alice\", realm=\"example.test\" ,  nonce=\"n\"",
                "DIGEST USERNAME=alice", "Basic realm=\"x\"", "Digest opaque=\"\"")) {
            assertThat(CredentialsHeaders.plainValue("Authorization:  " + value + "  ", 14)).as(value)
                    .isEqualTo(value);
        }
        for (String value : List.of("Digest username = \"alice\"", "Digest username=\"a\\\"b\"", "Digest",
                "Digest realm=\"x\",realm=\"y\"", "Digest REALM=\"x\",realm=\"y\"", "Digest a=1,,b=2", "Digest a=1,",
                "Digest\tusername=\"alice\"", "Basic YWxpY2U6c2VjcmV0", "Digest a=\"unterminated",
                "Digest uri=sip:a@b", "Digest a=\"caf\u00e9\"", "")) {
            assertThat(CredentialsHeaders.plainValue("Authorization: " + value, 14)).as(value).isNull();
        }
    }

    @Test
    void severalHeadersEncodeByteForByteAndTheRegistrarReadsEachOnce() throws ParseException {
        String spaced = "Digest username=\"bob\", realm=\"other.test\", nonce=\"n\", uri=\"sip:x\", response=\"r\"";
        SIPRequest request = parse("INVITE sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\n"
                + "From: <sip:alice@example.test>;tag=1\r\nTo: <sip:bob@example.test>\r\nCall-ID: c@h\r\n"
                + "CSeq: 1 INVITE\r\nProxy-Authorization: " + spaced + "\r\nProxy-Authorization:  " + SIPP + "\r\n"
                + "Content-Length: 0\r\n\r\n");

        List<ReceivedCredentials> credentials = new ArrayList<>();
        request.getHeaders(ProxyAuthorizationHeader.NAME)
                .forEachRemaining(h -> credentials.add(ReceivedCredentials.of((Header) h)));

        assertThat(request.encode()).contains("Proxy-Authorization: " + spaced + "\r\nProxy-Authorization: "
                + SIPP + "\r\n");
        assertThat(credentials).extracting(ReceivedCredentials::realm).containsExactly("other.test", "example.test");
        assertThat(credentials.get(1).digest()).isSameAs(credentials.get(1).digest());
        assertThat(credentials.get(1).digest().nc()).isEqualTo("00000001");
        assertThat(credentials.get(1).username()).isEqualTo("alice");
    }

    @Test
    void theRiGettersAnswerAndAChangeMakesTheHeaderEncodeAsTheRis() throws ParseException {
        SIPRequest request = parse(register("Authorization: " + SIPP.replace(",realm", ", realm")));
        AuthorizationHeader header = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        String asReceived = "Authorization: " + SIPP.replace(",realm", ", realm") + "\r\n";

        assertThat(header).isInstanceOf(CredentialsHeaders.Received.class);
        assertThat(header.getRealm()).isEqualTo("example.test");
        assertThat(header.getNonceCount()).isEqualTo(1);
        assertThat(((SIPHeader) header).encode()).isEqualTo(asReceived);
        assertThat(((SIPHeader) ((SIPHeader) header).clone()).encode()).isEqualTo(asReceived);

        header.setRealm("changed.test");

        assertThat(((SIPHeader) header).encode()).isEqualTo("Authorization: " + SIPP.replace("example.test\",uri",
                "changed.test\",uri") + "\r\n");
    }

    @Test
    void malformedCredentialsKeepTheirRealmAndUserForTheRefusal() throws ParseException {
        SIPRequest request = parse(register("Authorization: Digest username=\"alice\",realm=\"example.test\""));
        ReceivedCredentials credentials = ReceivedCredentials.of(request.getHeader(AuthorizationHeader.NAME));

        assertThat(credentials.digest()).isNull();
        assertThat(credentials.error()).hasMessage("missing nonce");
        assertThat(credentials.realm()).isEqualTo("example.test");
        assertThat(credentials.username()).isEqualTo("alice");
    }

    @Test
    void credentialsTheRiParsedAreReadFromItsEncoding() throws ParseException {
        SIPRequest request = parse(register("Authorization: Digest username = \"alice\", realm=\"example.test\""));
        Header header = request.getHeader(AuthorizationHeader.NAME);

        assertThat(header).isNotInstanceOf(CredentialsHeaders.Received.class);
        assertThat(ReceivedCredentials.of(header).realm()).isEqualTo("example.test");
    }

    private static String register(String credentials) {
        return "REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=1\r\nTo: <sip:alice@example.test>\r\n"
                + "Call-ID: c@h\r\nCSeq: 2 REGISTER\r\n" + credentials + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static SIPRequest parse(String message) throws ParseException {
        return (SIPRequest) SipMessageParser.INSTANCE.parseSIPMessage(message.getBytes(StandardCharsets.UTF_8),
                true, false, null);
    }
}
