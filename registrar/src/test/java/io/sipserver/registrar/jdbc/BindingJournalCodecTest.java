package io.sipserver.registrar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindingJournalCodecTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00.123456789Z");

    @Test
    void everyFieldOfEveryChangeComesBackInOrder() {
        Binding withAgent = new Binding("sip:alice@example.com", "sip:alice@198.51.100.7:5062;transport=tcp",
                NOW.plusSeconds(600), 0.7f, "call-1@host", 42, "198.51.100.7", 5062, "TCP", "baresip 1.0 – ü", NOW);
        Binding withoutAgent = new Binding("sip:bob@example.com", "sip:bob@[2001:db8::1]", NOW.minusNanos(1), 1f, "c2",
                Long.MAX_VALUE, "2001:db8::1", 65535, "UDP", null, Instant.EPOCH);
        List<BindingChange> changes = List.of(new BindingChange.Put(withAgent),
                new BindingChange.Remove("sip:carol@example.com", "sip:carol@203.0.113.9"),
                new BindingChange.Put(withoutAgent));

        List<byte[]> chunks = BindingJournalCodec.encode(changes);

        assertThat(chunks).hasSize(1);
        assertThat(BindingJournalCodec.decode(chunks.get(0))).containsExactlyElementsOf(changes);
    }

    @Test
    void aLargeBatchIsCutIntoChunksOfWholeChanges() {
        List<BindingChange> changes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            changes.add(new BindingChange.Put(new Binding("sip:user" + i + "@example.com",
                    "sip:user" + i + "@198.51.100.7;" + "x".repeat(900), NOW, 1f, "c" + i, i, "198.51.100.7", 5060,
                    "UDP", null, NOW)));
        }

        List<byte[]> chunks = BindingJournalCodec.encode(changes);

        assertThat(chunks).hasSizeGreaterThan(5)
                .allSatisfy(c -> assertThat(c.length).isLessThan(BindingJournalCodec.CHUNK_BYTES + 2_000));
        assertThat(chunks.stream().flatMap(c -> BindingJournalCodec.decode(c).stream()).toList())
                .containsExactlyElementsOf(changes);
    }

    @Test
    void aChunkOfAnotherFormatOrCutShortIsRefusedRatherThanMisread() {
        byte[] chunk = BindingJournalCodec.encode(List.of(new BindingChange.Remove("sip:a@example.com", "sip:a@h")))
                .get(0);
        byte[] otherVersion = chunk.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> BindingJournalCodec.decode(otherVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> BindingJournalCodec.decode(Arrays.copyOf(chunk, chunk.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] unknownKind = chunk.clone();
        unknownKind[1] = 7;
        assertThatThrownBy(() -> BindingJournalCodec.decode(unknownKind))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind 7");
    }
}
