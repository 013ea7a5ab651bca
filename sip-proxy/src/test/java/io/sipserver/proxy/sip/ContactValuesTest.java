package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.registrar.ContactSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Contact value read as is found again once remembered; long values are not kept, and the table is bounded. */
class ContactValuesTest {

    private static final String PHONE = "<sip:alice@198.51.100.7:5060;transport=udp>;expires=600";
    private static final List<ContactSpec> PHONE_READ =
            List.of(new ContactSpec("sip:alice@198.51.100.7:5060;transport=udp", 600, null));

    @Test
    void aValueIsKnownOnlyOnceRemembered() {
        ContactValues values = new ContactValues(10);
        assertThat(values.known(PHONE)).isNull();

        values.remember(PHONE, new ArrayList<>(PHONE_READ));

        assertThat(values.known(PHONE)).isEqualTo(PHONE_READ);
        assertThat(values.known("<sip:bob@198.51.100.7>")).isNull();
    }

    @Test
    void aValueLongerThanTheBoundIsNotKept() {
        ContactValues values = new ContactValues(10);
        int user = ContactValues.MAX_VALUE_LENGTH - "<sip:@198.51.100.7>".length();
        String longest = "<sip:" + "a".repeat(user) + "@198.51.100.7>";
        String tooLong = "<sip:" + "a".repeat(user + 1) + "@198.51.100.7>";
        assertThat(longest).hasSize(ContactValues.MAX_VALUE_LENGTH);

        values.remember(longest, PHONE_READ);
        values.remember(tooLong, PHONE_READ);

        assertThat(values.known(longest)).isEqualTo(PHONE_READ);
        assertThat(values.known(tooLong)).isNull();
        assertThat(values.size()).isEqualTo(1);
    }

    @Test
    void whenFullTheTableStartsAgain() {
        ContactValues values = new ContactValues(3);
        for (int i = 0; i < 3; i++) {
            values.remember("<sip:user" + i + "@198.51.100.7>", PHONE_READ);
        }
        assertThat(values.size()).isEqualTo(3);

        values.remember("<sip:user3@198.51.100.7>", PHONE_READ);

        assertThat(values.size()).isEqualTo(1);
        assertThat(values.known("<sip:user3@198.51.100.7>")).isEqualTo(PHONE_READ);
        assertThat(values.known("<sip:user0@198.51.100.7>")).isNull();
    }

    @Test
    void whatItKeepsIsACopyNobodyCanChange() {
        ContactValues values = new ContactValues(10);
        List<ContactSpec> read = new ArrayList<>(PHONE_READ);
        values.remember(PHONE, read);
        read.clear();

        assertThat(values.known(PHONE)).isEqualTo(PHONE_READ);
        assertThatThrownBy(() -> values.known(PHONE).clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
