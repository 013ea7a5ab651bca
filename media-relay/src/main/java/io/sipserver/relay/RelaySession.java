package io.sipserver.relay;

import java.time.Instant;
import java.util.List;

/** The relay's state for one call: one {@link RelayStream} per SDP m-line. */
public interface RelaySession {

    /** The relay's identifier of this session (unique, used by the REST API). */
    String id();

    /** The SIP Call-ID (or any label) given at creation. */
    String callId();

    Instant createdAt();

    /** The streams created so far, in m-line order. */
    List<RelayStream> streams();

    /**
     * The stream for the m-line at {@code index}, creating it (and any missing stream before it) on demand.
     *
     * @throws RelayPortsExhaustedException when no port pairs are left for a new stream
     * @throws IllegalStateException when the session has been released
     */
    RelayStream stream(int index) throws RelayPortsExhaustedException;

    /** When the last packet from either side of any stream arrived; the creation time before the first one. */
    Instant lastPacketAt();
}
