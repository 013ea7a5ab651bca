package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.SIPHeaderNamesCache;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * Bounds JAIN-SIP 1.3.0-91's cache of lower-cased header names ({@code SIPHeaderNamesCache}). The RI adds every
 * header name it meets, in every letter case, to a static map that is never emptied, so datagrams with made-up
 * header names would grow the heap without limit. The map is only a cache (the RI computes an absent entry again,
 * interned, so the strings it hands out stay the same), which makes emptying it when it passes a bound safe; the
 * proxy's housekeeping calls {@link #trim()}.
 */
public final class HeaderNameCache {

    /** Far above the ~300 entries of the standard names in their usual spellings, and a few MB at most. */
    static final int MAX_ENTRIES = 20_000;

    private static final Map<?, ?> NAMES = names();

    private HeaderNameCache() {
    }

    /**
     * Empties the RI's cache when it holds more than {@link #MAX_ENTRIES} names; returns how many it held then, 0 when
     * it was left alone. Synchronized on the class so that a test can keep trims out while it counts.
     */
    public static synchronized int trim() {
        int size = NAMES.size();
        if (size <= MAX_ENTRIES) {
            return 0;
        }
        NAMES.clear();
        return size;
    }

    /** Names the RI's cache holds now. */
    static int size() {
        return NAMES.size();
    }

    private static Map<?, ?> names() {
        try {
            Field map = SIPHeaderNamesCache.class.getDeclaredField("lowercaseMap");
            map.setAccessible(true);
            return (Map<?, ?>) map.get(null);
        } catch (NoSuchFieldException | IllegalAccessException | ClassCastException e) {
            throw new IllegalStateException("cannot reach JAIN-SIP's header name cache", e);
        }
    }
}
