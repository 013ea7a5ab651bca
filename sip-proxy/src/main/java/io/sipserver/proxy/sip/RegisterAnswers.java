package io.sipserver.proxy.sip;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * The answers to REGISTERs that a UDP listening point handles from their bytes ({@link RawRegistrations}), without a
 * server transaction: what a retransmission gets (RFC 3261 section 17.2.2). While its answer is pending a
 * retransmission is dropped, as a transaction in Trying drops it; afterwards it gets the same datagram again. A
 * JAIN-SIP transaction held each REGISTER for Timer J with its parsed request and response; an entry here is the
 * branch, the source and the response's bytes.
 * <p>
 * Entries are kept {@link #LINGER_NANOS} (what the stack keeps its non-INVITE server transactions, see
 * {@code RequestContext}) and at most {@code capacity} of them, the oldest dropped first. Thread-safe: one short
 * lock around a hash map in insertion order, which is also the order of expiry.
 */
final class RegisterAnswers {

    /** 5 s: a client stops retransmitting once the final response reaches it; only copies in flight remain. */
    static final long LINGER_NANOS = 5_000_000_000L;

    private final int capacity;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Answer> answers = new LinkedHashMap<>();

    RegisterAnswers(int capacity) {
        this(capacity, System::nanoTime);
    }

    RegisterAnswers(int capacity, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    /** One request's answer: pending until {@link #sent}, then the datagram to send again. */
    static final class Answer {
        private final long createdNanos;
        private final InetAddress source;
        private final int sourcePort;
        private volatile byte[] datagram;

        private Answer(long createdNanos, InetAddress source, int sourcePort) {
            this.createdNanos = createdNanos;
            this.source = source;
            this.sourcePort = sourcePort;
        }

        /** The response sent, or null while the request is being handled. */
        byte[] datagram() {
            return datagram;
        }

        /** Whether the request came from there: a retransmission does, another client reusing a branch does not. */
        boolean from(InetAddress address, int port) {
            return sourcePort == port && source.equals(address);
        }
    }

    /** The answer of the request with transaction key {@code key} (its branch, lower-cased), or null. */
    Answer find(String key) {
        synchronized (answers) {
            expire(nanoTime.getAsLong(), false);
            return answers.get(key);
        }
    }

    /** A pending answer for the request with {@code key}, which has none (see {@link #find}). */
    void claim(String key, InetAddress source, int sourcePort) {
        long now = nanoTime.getAsLong();
        synchronized (answers) {
            expire(now, true);
            answers.put(key, new Answer(now, source, sourcePort));
        }
    }

    /** The response sent for {@code key}, for its retransmissions. */
    void sent(String key, byte[] datagram) {
        Answer answer;
        synchronized (answers) {
            answer = answers.get(key);
        }
        if (answer != null) {
            answer.datagram = datagram;
        }
    }

    /** Forgets {@code key}: its request went on to the stack, whose server transaction absorbs what follows. */
    void release(String key) {
        synchronized (answers) {
            answers.remove(key);
        }
    }

    /** Answers held, the expired ones dropped first. */
    int size() {
        synchronized (answers) {
            expire(nanoTime.getAsLong(), false);
            return answers.size();
        }
    }

    /** Drops the answers older than the linger and, when {@code room} is set, the oldest one while full. */
    private void expire(long now, boolean room) {
        Iterator<Answer> oldestFirst = answers.values().iterator();
        int size = answers.size();
        while (oldestFirst.hasNext()) {
            Answer oldest = oldestFirst.next();
            if (!(room && size >= capacity) && now - oldest.createdNanos < LINGER_NANOS) {
                return;
            }
            oldestFirst.remove();
            size--;
        }
    }
}
