package io.sipserver.relay;

/**
 * A snapshot of what one side of a stream sent to the relay.
 *
 * @param packets RTP packets received from that side and accepted (not counting strict-source drops)
 * @param bytes UDP payload bytes of those packets
 * @param packetsLost RTP packets that side sent but the relay never received, from sequence numbers (RFC 3550 A.3)
 * @param jitterMs RFC 3550 interarrival jitter of that side's RTP, in milliseconds
 * @param latchedAddress {@code host:port} the side's RTP was latched to, or null before its first packet
 * @param droppedPackets RTP and RTCP packets dropped because they came from another source than the latched one
 */
public record LegStats(long packets, long bytes, long packetsLost, double jitterMs, String latchedAddress,
                       long droppedPackets) {
}
