package io.sipserver.relay;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where one relay socket's peer is, and who may send to that socket: symmetric latching with strict source.
 * The signalling side sets the address announced in SDP ({@link #expect}); the socket's event loop latches to
 * the source of the first packet it receives, then admits only that source, and sends the peer's packets to the
 * latched address (to the announced one until then). A changed announced address re-opens latching.
 *
 * <p>Threading: {@link #expect} is called by the signalling path; every other method by the one event loop
 * that owns the socket. The two communicate through two volatile fields only: no lock on the packet path.
 */
public final class PeerLatch {

    private volatile InetSocketAddress expected;
    private volatile int generation;
    private int seenGeneration;
    private InetSocketAddress latched;
    private long dropped;

    /**
     * Sets the address the peer announced. Re-opens latching when it differs from the previous one.
     * Signalling path; calls for one latch must not race each other (callers serialise per stream).
     */
    public void expect(InetSocketAddress announced) {
        if (!Objects.equals(announced, expected)) {
            expected = announced;
            generation++;
        }
    }

    /**
     * Back to a new latch's state (nothing announced, nothing latched, nothing dropped), for a socket reused by
     * another call. Event loop only, while no signalling thread can reach this latch.
     */
    public void reset() {
        expected = null;
        seenGeneration = generation;
        latched = null;
        dropped = 0;
    }

    /** The address last announced, or null. */
    public InetSocketAddress expected() {
        return expected;
    }

    /**
     * Latches to {@code source} when latching is open (no packet since the last announced change).
     *
     * @return true when this call latched
     */
    public boolean latchIfOpen(InetSocketAddress source) {
        applyReopen();
        if (latched != null) {
            return false;
        }
        latched = source;
        return true;
    }

    /** True when {@code source} is the latched peer; otherwise counts the packet as dropped. */
    public boolean admits(InetSocketAddress source) {
        if (source.equals(latched)) {
            return true;
        }
        dropped++;
        return false;
    }

    /** Where packets for this peer go: the latched address, else the announced one, else null (nowhere yet). */
    public InetSocketAddress destination() {
        applyReopen();
        return latched != null ? latched : expected;
    }

    /** The latched address, or null. Safe to read from any thread (the address object is immutable). */
    public InetSocketAddress latched() {
        return latched;
    }

    /** Packets refused by {@link #admits}. A snapshot when read from another thread. */
    public long dropped() {
        return dropped;
    }

    private void applyReopen() {
        int current = generation;
        if (current != seenGeneration) {
            seenGeneration = current;
            latched = null;
        }
    }
}
