package io.sipserver.registrar.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestCredentialsTest {

    @Test
    void readsQuotedAndTokenValuesInAnyOrderAndCase() {
        DigestCredentials c = DigestCredentials.parse("digest  Username=\"a\\\"b\",realm=\"example.com\" , NC=00000001,"
                + "nonce=\"n\",uri=sip:example.com, response=\"r\", qop=auth, cnonce=\"c\", algorithm=SHA-256, opaque=\"\"");

        assertThat(c).isEqualTo(new DigestCredentials("a\"b", "example.com", "n", "sip:example.com", "r", "SHA-256",
                "auth", "00000001", "c"));
    }

    @Test
    void anEscapeAnywhereInAQuotedValueIsTakenOut() {
        DigestCredentials c = DigestCredentials.parse("Digest username=\"\\alice\\\\\", realm=\"ex\\ample.com\","
                + " nonce=\"n\\\"\", uri=\"sip:example.com\", response=\"r\"");

        assertThat(c.username()).isEqualTo("alice\\");
        assertThat(c.realm()).isEqualTo("example.com");
        assertThat(c.nonce()).isEqualTo("n\"");
    }

    @Test
    void withoutQopNeitherNcNorCnonceIsRequired() {
        DigestCredentials c = DigestCredentials.parse(
                "Digest username=\"alice\", realm=\"example.com\", nonce=\"n\", uri=\"sip:example.com\", response=\"r\"");

        assertThat(c.qop()).isNull();
        assertThat(c.algorithm()).isNull();
    }

    @Test
    void malformedCredentialsNameTheProblem() {
        assertThatThrownBy(() -> DigestCredentials.parse("Digest username=\"a\", username=\"b\""))
                .hasMessage("duplicate parameter username");
        assertThatThrownBy(() -> DigestCredentials.parse("Digest username \"a\""))
                .hasMessage("expected '=' after username");
        assertThatThrownBy(() -> DigestCredentials.parse("Digest realm=\"example.com\""))
                .hasMessage("missing username");
        assertThatThrownBy(() -> DigestCredentials.parse("Digest username=\"a\" realm=\"b\""))
                .hasMessage("expected ',' after username");
        assertThatThrownBy(() -> DigestCredentials.parse("Digestive username=\"a\""))
                .hasMessage("not a Digest credential");
        assertThatThrownBy(() -> DigestCredentials.parse("Digest username=\"alice"))
                .hasMessage("unterminated quoted string");
        assertThatThrownBy(() -> DigestCredentials.parse("Digest username=\"al\\\"ice"))
                .hasMessage("unterminated quoted string");
    }
}
