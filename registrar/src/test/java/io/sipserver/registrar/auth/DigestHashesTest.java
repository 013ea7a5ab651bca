package io.sipserver.registrar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.DigestAlgorithm;
import org.junit.jupiter.api.Test;

/** The worked example of RFC 7616 section 3.9.1. */
class DigestHashesTest {

    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void sha256ResponseOfTheRfcExample() {
        assertThat(rfcExampleResponse(DigestAlgorithm.SHA_256))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void md5ResponseOfTheRfcExample() {
        assertThat(rfcExampleResponse(DigestAlgorithm.MD5)).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    private static String rfcExampleResponse(DigestAlgorithm algorithm) {
        String ha1 = DigestHashes.ha1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
        return DigestHashes.response(algorithm, ha1, NONCE, "00000001", CNONCE, "auth", "GET", "/dir/index.html");
    }
}
