package io.sipserver.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContactUriKeyTest {

    @Test
    void schemeHostAndParametersAreCaseInsensitiveAndParameterOrderDoesNotMatter() {
        assertThat(ContactUriKey.of("SIP:alice@EXAMPLE.com:5060;Transport=TCP;ob"))
                .isEqualTo(ContactUriKey.of("sip:alice@example.com:5060;ob;transport=tcp"));
    }

    @Test
    void userPartPortAndHeadersCountAsWritten() {
        assertThat(ContactUriKey.of("sip:Alice@example.com")).isNotEqualTo(ContactUriKey.of("sip:alice@example.com"));
        assertThat(ContactUriKey.of("sip:alice@example.com")).isNotEqualTo(ContactUriKey.of("sip:alice@example.com:5060"));
        assertThat(ContactUriKey.of("sip:alice@example.com?Subject=a"))
                .isNotEqualTo(ContactUriKey.of("sip:alice@example.com?Subject=b"));
    }

    @Test
    void aSemicolonInTheUserPartIsNotAUriParameter() {
        assertThat(ContactUriKey.of("sip:+1555;phone-context=X@Example.com;user=phone"))
                .isEqualTo("sip:+1555;phone-context=X@example.com;user=phone");
    }

    @Test
    void aParameterPresentInOnlyOneUriMakesThemDifferent() {
        assertThat(ContactUriKey.of("sip:alice@example.com;ob")).isNotEqualTo(ContactUriKey.of("sip:alice@example.com"));
    }
}
