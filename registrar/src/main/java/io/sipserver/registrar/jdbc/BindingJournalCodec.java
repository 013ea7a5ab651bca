package io.sipserver.registrar.jdbc;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of binding changes in the journal ({@link BindingJournal}): written on every group commit, so it is
 * compact and cheap to produce; read back only by the fold at start-up. A chunk starts with a format version,
 * then holds whole changes in order.
 */
final class BindingJournalCodec {

    /** Chunks stay far below H2's 1,000,000-byte limit for a binary value, whatever the batch. */
    static final int CHUNK_BYTES = 256 * 1024;

    private static final byte VERSION = 1;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;

    private BindingJournalCodec() {
    }

    /** The changes in order, cut into chunks of about {@link #CHUNK_BYTES}; a change is never split. */
    static List<byte[]> encode(List<BindingChange> changes) {
        List<byte[]> chunks = new ArrayList<>(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(CHUNK_BYTES, 128 * changes.size() + 1));
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            for (BindingChange change : changes) {
                if (bytes.size() >= CHUNK_BYTES) {
                    chunks.add(bytes.toByteArray());
                    bytes.reset();
                    out.writeByte(VERSION);
                }
                write(out, change);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        chunks.add(bytes.toByteArray());
        return chunks;
    }

    /**
     * @throws IllegalArgumentException when the chunk is not in this format (a journal written by a newer
     *     version, or damaged): start-up must stop rather than lose or invent bindings
     */
    static List<BindingChange> decode(byte[] chunk) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk));
        List<BindingChange> changes = new ArrayList<>();
        try {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("binding journal chunk of unknown format version " + version);
            }
            while (in.available() > 0) {
                changes.add(read(in));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated binding journal chunk", e);
        }
        return changes;
    }

    private static void write(DataOutputStream out, BindingChange change) throws IOException {
        if (change instanceof BindingChange.Put put) {
            Binding b = put.binding();
            out.writeByte(PUT);
            out.writeUTF(b.aor());
            out.writeUTF(b.contactUri());
            writeInstant(out, b.expiresAt());
            out.writeFloat(b.q());
            out.writeUTF(b.callId());
            out.writeLong(b.cseq());
            out.writeUTF(b.sourceHost());
            out.writeInt(b.sourcePort());
            out.writeUTF(b.transport());
            out.writeBoolean(b.userAgent() != null);
            if (b.userAgent() != null) {
                out.writeUTF(b.userAgent());
            }
            writeInstant(out, b.updatedAt());
        } else {
            out.writeByte(REMOVE);
            out.writeUTF(change.aor());
            out.writeUTF(change.contactUri());
        }
    }

    private static BindingChange read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        if (kind == REMOVE) {
            return new BindingChange.Remove(in.readUTF(), in.readUTF());
        }
        if (kind != PUT) {
            throw new IllegalArgumentException("binding journal chunk holds a change of unknown kind " + kind);
        }
        return new BindingChange.Put(new Binding(in.readUTF(), in.readUTF(), readInstant(in), in.readFloat(),
                in.readUTF(), in.readLong(), in.readUTF(), in.readInt(), in.readUTF(),
                in.readBoolean() ? in.readUTF() : null, readInstant(in)));
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
