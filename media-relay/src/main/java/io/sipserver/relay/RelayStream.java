package io.sipserver.relay;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One relayed media stream (one SDP m-line). Each side owns a port pair on the relay: RTP on the even port
 * {@link #rtpPort(Side)}, RTCP on the next odd one. What side A's endpoint sends to A's ports goes out of B's
 * ports to B's endpoint, and the reverse.
 */
public interface RelayStream {

    /** The relay's RTP port facing {@code side} (its RTCP port is this + 1). */
    int rtpPort(Side side);

    /**
     * Sets where {@code side}'s endpoint said (in its SDP) that it receives media. Packets go there until the
     * endpoint's first packet arrives; from then on they go to the address that packet came from (latching).
     * When the address differs from the previous one (a re-INVITE moved the endpoint), latching re-opens.
     *
     * @param rtcp the RTCP address, or null for the RTP address with port + 1
     */
    void setPeer(Side side, InetSocketAddress rtp, InetSocketAddress rtcp);

    /**
     * Sets the RTP clock of each payload type that {@code side}'s SDP maps (its m-line's {@code a=rtpmap} lines),
     * for the jitter of what that side sends; payload types it leaves unmapped are looked up in the other side's.
     * Until called, RFC 3551's static payload types and {@value RtpClockRates#FALLBACK_CLOCK_RATE} Hz apply. A
     * re-INVITE replaces the earlier rates.
     */
    void setClockRates(Side side, RtpClockRates rates);

    /** The RTP address last set by {@link #setPeer}, if any. */
    Optional<InetSocketAddress> peer(Side side);

    /** What {@code side} has sent so far. */
    LegStats stats(Side side);
}
