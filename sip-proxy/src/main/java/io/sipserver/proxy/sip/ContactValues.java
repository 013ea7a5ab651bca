package io.sipserver.proxy.sip;

import io.sipserver.registrar.ContactSpec;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Contact header values already read, with what they read as. A phone refreshes its registration with the Contact
 * value of its first REGISTER, and reading one (the address parser, then JAIN-SIP's URI parser to check that the URI
 * reads back from its text) was a fifth of the CPU a worker spent on an authenticated REGISTER (perf at 12,000
 * REGISTER/s). Both readers are deterministic, so a value read before reads the same again. Values refused are not
 * kept: they are rare, and go to the stack anyway. When full, the table starts again empty: phones that stay
 * registered come back within a refresh interval.
 */
final class ContactValues {

    /** 12 MB when full of values of about 40 characters, as SIPp's (178 bytes an entry, measured); longer, more. */
    static final int DEFAULT_CAPACITY = 1 << 16;

    private final Function<String, List<ContactSpec>> reader;
    private final int capacity;
    private final ConcurrentHashMap<String, List<ContactSpec>> read = new ConcurrentHashMap<>();

    /** @param reader the Contacts of one header value, or null when it is refused */
    ContactValues(Function<String, List<ContactSpec>> reader, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.reader = reader;
        this.capacity = capacity;
    }

    /** The Contacts of one header value (a list nobody can change), or null when the reader refuses it. */
    List<ContactSpec> read(String value) {
        List<ContactSpec> known = read.get(value);
        if (known != null) {
            return known;
        }
        List<ContactSpec> contacts = reader.apply(value);
        if (contacts == null) {
            return null;
        }
        if (read.size() >= capacity) {
            read.clear();
        }
        List<ContactSpec> kept = List.copyOf(contacts);
        read.put(value, kept);
        return kept;
    }

    /** Values held. */
    int size() {
        return read.size();
    }
}
