package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.registrar.ContactSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refresh's Contact value is read once, a refused one every time, and the table never outgrows its bound. */
class ContactValuesTest {

    private static final String PHONE = "<sip:alice@198.51.100.7:5060;transport=udp>;expires=600";
    private static final String REFUSED = "<sip:alice@host:port>";

    private final List<String> readerCalls = new ArrayList<>();

    /** Reads "<uri>..." as one Contact and refuses {@link #REFUSED}, recording each call. */
    private List<ContactSpec> reader(String value) {
        readerCalls.add(value);
        if (value.equals(REFUSED)) {
            return null;
        }
        return List.of(new ContactSpec(value.substring(1, value.indexOf('>')), 600, null));
    }

    @Test
    void aValueReadBeforeIsNotReadAgain() {
        ContactValues values = new ContactValues(this::reader, 10);

        List<ContactSpec> first = values.read(PHONE);
        List<ContactSpec> second = values.read(PHONE);

        assertThat(second).isEqualTo(first)
                .containsExactly(new ContactSpec("sip:alice@198.51.100.7:5060;transport=udp", 600, null));
        assertThat(readerCalls).containsExactly(PHONE);
    }

    @Test
    void aRefusedValueIsRefusedEachTimeAndNotKept() {
        ContactValues values = new ContactValues(this::reader, 10);

        assertThat(values.read(REFUSED)).isNull();
        assertThat(values.read(REFUSED)).isNull();

        assertThat(readerCalls).containsExactly(REFUSED, REFUSED);
        assertThat(values.size()).isZero();
    }

    @Test
    void whenFullTheTableStartsAgainAndStillAnswers() {
        ContactValues values = new ContactValues(this::reader, 3);
        for (int i = 0; i < 3; i++) {
            values.read("<sip:user" + i + "@198.51.100.7>");
        }
        assertThat(values.size()).isEqualTo(3);

        List<ContactSpec> fourth = values.read("<sip:user3@198.51.100.7>");

        assertThat(fourth).containsExactly(new ContactSpec("sip:user3@198.51.100.7", 600, null));
        assertThat(values.size()).isEqualTo(1);
        values.read("<sip:user0@198.51.100.7>");
        assertThat(readerCalls).hasSize(5);
    }

    @Test
    void whatItReturnsCannotBeChangedByItsCaller() {
        ContactValues values = new ContactValues(this::reader, 10);
        values.read(PHONE);

        assertThatThrownBy(() -> values.read(PHONE).clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
