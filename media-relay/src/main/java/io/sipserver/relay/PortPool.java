package io.sipserver.relay;

import java.util.BitSet;

/**
 * The relay's port pairs (even RTP port, odd RTCP port) between a minimum and a maximum port. Acquire and release
 * are O(1): free pairs wait in a ring, least recently released first (a released port is not handed out again
 * at once, so late packets of an ended call do not reach the next one). Thread-safe.
 */
public final class PortPool {

    private final int firstPort;
    private final int[] ring;
    private final BitSet free;
    private int head;
    private int count;

    /**
     * @param portMin lowest port; rounded up to even
     * @param portMax highest port; a pair needs both its ports inside the range
     */
    public PortPool(int portMin, int portMax) {
        firstPort = portMin + (portMin & 1);
        int pairs = (portMax - firstPort + 1) / 2;
        if (pairs < 1) {
            throw new IllegalArgumentException("no port pair fits in " + portMin + ".." + portMax);
        }
        ring = new int[pairs];
        free = new BitSet(pairs);
        for (int i = 0; i < pairs; i++) {
            ring[i] = firstPort + 2 * i;
        }
        free.set(0, pairs);
        count = pairs;
    }

    /** Takes a free pair and returns its RTP (even) port, or -1 when none is free. */
    public synchronized int acquire() {
        if (count == 0) {
            return -1;
        }
        int port = ring[head];
        head = (head + 1) % ring.length;
        count--;
        free.clear(indexOf(port));
        return port;
    }

    /**
     * Puts a pair back, behind every other free pair.
     *
     * @return false when the pair was already free (releasing twice is harmless)
     * @throws IllegalArgumentException when {@code rtpPort} is not a pair of this pool
     */
    public synchronized boolean release(int rtpPort) {
        int index = indexOf(rtpPort);
        if (free.get(index)) {
            return false;
        }
        free.set(index);
        ring[(head + count) % ring.length] = rtpPort;
        count++;
        return true;
    }

    public synchronized int freePairs() {
        return count;
    }

    public int capacity() {
        return ring.length;
    }

    private int indexOf(int rtpPort) {
        int offset = rtpPort - firstPort;
        if (offset < 0 || (offset & 1) != 0 || offset / 2 >= ring.length) {
            throw new IllegalArgumentException("port " + rtpPort + " is not an RTP port of this pool");
        }
        return offset / 2;
    }
}
