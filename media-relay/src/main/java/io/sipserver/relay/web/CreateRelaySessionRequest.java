package io.sipserver.relay.web;

/**
 * Body of {@code POST /api/relay/sessions}.
 *
 * @param callId label of the session (a SIP Call-ID, or anything for a benchmark)
 * @param aPeer optional {@code host:port} to send side A's packets to until A's first packet arrives
 * @param bPeer the same for side B
 */
public record CreateRelaySessionRequest(String callId, String aPeer, String bPeer) {
}
