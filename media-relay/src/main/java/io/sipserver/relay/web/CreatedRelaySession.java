package io.sipserver.relay.web;

import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;

/**
 * Answer to {@code POST /api/relay/sessions}: where each side's endpoint must send its RTP (RTCP: port + 1).
 *
 * @param a the relay address and RTP port side A's endpoint sends to
 * @param b the same for side B
 */
public record CreatedRelaySession(String id, String callId, RelayAddress a, RelayAddress b) {

    /** A relay address and RTP port. */
    public record RelayAddress(String address, int port) {
    }

    static CreatedRelaySession of(RelaySession session, String relayAddress) {
        RelayStream stream = session.streams().get(0);
        return new CreatedRelaySession(session.id(), session.callId(),
                new RelayAddress(relayAddress, stream.rtpPort(Side.A)),
                new RelayAddress(relayAddress, stream.rtpPort(Side.B)));
    }
}
