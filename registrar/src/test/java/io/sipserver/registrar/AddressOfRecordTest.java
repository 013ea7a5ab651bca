package io.sipserver.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressOfRecordTest {

    @Test
    void theUserPartIsTheUserAllowedToRegisterTheAor() {
        assertThat(AddressOfRecord.userOf("sip:alice@example.com")).isEqualTo("alice");
        assertThat(AddressOfRecord.userOf("sips:bob@example.com")).isEqualTo("bob");
        assertThatThrownBy(() -> AddressOfRecord.userOf("sip:example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no user part in 'sip:example.com'");
    }

    @Test
    void everyAcceptedSpellingBecomesOneForm() {
        assertThat(AddressOfRecord.parse("sip:alice@Example.COM", "other.org")).isEqualTo("sip:alice@example.com");
        assertThat(AddressOfRecord.parse("sips:alice@example.com", "other.org")).isEqualTo("sip:alice@example.com");
        assertThat(AddressOfRecord.parse("alice@example.com", "other.org")).isEqualTo("sip:alice@example.com");
        assertThat(AddressOfRecord.parse("alice", "example.com")).isEqualTo("sip:alice@example.com");
        assertThat(AddressOfRecord.of("alice", "EXAMPLE.com")).isEqualTo("sip:alice@example.com");
    }

    @Test
    void anEmptyUserOrDomainIsRefused() {
        assertThatThrownBy(() -> AddressOfRecord.parse("sip:@example.com", "example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no user");
        assertThatThrownBy(() -> AddressOfRecord.parse("alice@", "example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no domain");
    }
}
