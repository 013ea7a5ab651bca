package io.sipserver.registrar.auth;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last nonce-count seen per nonce, in a fixed table indexed by the nonce's sequence id (Kamailio's "nid
 * pool"): memory stays bounded whatever the authentication rate. A slot holds the id's remaining bits and the
 * last nc in one long, updated by compare-and-set. Issuing a nonce claims its slot, so a nonce whose slot was
 * since claimed by a newer one is "evicted" and must be replaced (stale).
 */
final class NonceCountTracker {

    enum Use { ACCEPTED, REPLAYED, EVICTED }

    private static final int NC_BITS = 24;
    private static final long NC_MASK = (1L << NC_BITS) - 1;
    private static final long GENERATION_MASK = (1L << (63 - NC_BITS)) - 1;
    /** Marks a claimed slot, so that an empty slot never matches. */
    private static final long CLAIMED = 1L << 63;

    private final AtomicLongArray slots;
    private final int indexBits;
    private final long indexMask;

    /** @param size number of slots, a power of two */
    NonceCountTracker(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("nonce slots must be a power of two, not " + size);
        }
        this.slots = new AtomicLongArray(size);
        this.indexBits = Integer.numberOfTrailingZeros(size);
        this.indexMask = size - 1;
    }

    void issued(long id) {
        slots.set(index(id), claim(id, 0));
    }

    /** True while no newer nonce has claimed this nonce's slot. */
    boolean isCurrent(long id) {
        return (slots.get(index(id)) & ~NC_MASK) == claim(id, 0);
    }

    /** Records nc for the nonce if it is higher than any seen before. */
    Use use(long id, long nc) {
        if (nc > NC_MASK) {
            return Use.EVICTED;
        }
        int index = index(id);
        while (true) {
            long slot = slots.get(index);
            if ((slot & ~NC_MASK) != claim(id, 0)) {
                return Use.EVICTED;
            }
            if (nc <= (slot & NC_MASK)) {
                return Use.REPLAYED;
            }
            if (slots.compareAndSet(index, slot, claim(id, nc))) {
                return Use.ACCEPTED;
            }
        }
    }

    private int index(long id) {
        return (int) (id & indexMask);
    }

    private long claim(long id, long nc) {
        return CLAIMED | ((id >>> indexBits) & GENERATION_MASK) << NC_BITS | nc;
    }
}
