package io.sipserver.relay;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/** An RTP/RTCP relay: sessions of port pairs with symmetric latching, strict source and media timeouts. */
public interface MediaRelay extends AutoCloseable {

    /**
     * Creates a session with one stream (two port pairs).
     *
     * @throws RelayPortsExhaustedException when the port range has no two free pairs left; nothing is kept then
     */
    RelaySession create(String callId) throws RelayPortsExhaustedException;

    Optional<RelaySession> find(String id);

    Collection<RelaySession> sessions();

    /**
     * Ends the session: its streams stop relaying at once and their ports count as free (the sockets may be kept for
     * a later session). Does not wait for the relay's I/O threads. Idempotent.
     *
     * @return true when the session existed
     */
    boolean release(String id);

    /**
     * Registers a listener called when no packet arrived on any stream of a session for {@code relay.media-timeout}
     * (the proxy then ends the call). The session is released after its listeners have run.
     */
    void onMediaTimeout(Consumer<RelaySession> listener);

    /** The address the relay's ports are reachable at (written into SDP). */
    String advertisedAddress();

    int freePortPairs();

    /** False once the relay is closing or closed (its sockets and event loops going away). */
    boolean running();

    /** What the relay has received since it started, over live and released sessions; computed when called. */
    RelayTraffic traffic();

    @Override
    void close();
}
