package io.sipserver.proxy.sip;

import io.sipserver.registrar.ContactSpec;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Contact header values already read, with what they read as. A phone refreshes its registration with the Contact
 * value of its first REGISTER, and reading one (the address parser, then JAIN-SIP's URI parser to check that the URI
 * reads back from its text) was a fifth of the CPU a worker spent on an authenticated REGISTER (perf at 12,000
 * REGISTER/s). Both readers are deterministic, so a value read before reads the same again.
 * <p>
 * Only what a client proved its password for is remembered ({@link #remember} after the digest check), and only
 * values of up to {@link #MAX_VALUE_LENGTH} characters: a stranger cannot fill the table, and nobody can fill it with
 * datagram-sized values. When full, the table starts again empty: phones that stay registered come back within a
 * refresh interval.
 */
final class ContactValues {

    /** 12 MB when full of values of about 40 characters, as SIPp's (178 bytes an entry, measured); longer, more. */
    static final int DEFAULT_CAPACITY = 1 << 16;
    /** Room for a phone's Contact with a +sip.instance URN (RFC 5626) and a few more parameters. */
    static final int MAX_VALUE_LENGTH = 256;

    private final int capacity;
    private final ConcurrentHashMap<String, List<ContactSpec>> read = new ConcurrentHashMap<>();

    ContactValues(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** What {@code value} read as when it was remembered, or null. */
    List<ContactSpec> known(String value) {
        return read.get(value);
    }

    /** Remembers what {@code value} reads as: call only once its REGISTER's credentials are verified. */
    void remember(String value, List<ContactSpec> contacts) {
        if (value.length() > MAX_VALUE_LENGTH) {
            return;
        }
        if (read.size() >= capacity) {
            read.clear();
        }
        read.put(value, List.copyOf(contacts));
    }

    /** Values held. */
    int size() {
        return read.size();
    }
}
