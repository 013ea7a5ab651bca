package io.sipserver.relay;

/**
 * What the relay has received since it started, over every session (live and released).
 *
 * @param packets RTP packets received and accepted, from either side
 * @param bytes UDP payload bytes of those packets
 * @param droppedPackets RTP and RTCP packets dropped for coming from another source than the latched one
 */
public record RelayTraffic(long packets, long bytes, long droppedPackets) {

    public static final RelayTraffic NONE = new RelayTraffic(0, 0, 0);

    /** These totals plus what one side of a stream sent. */
    public RelayTraffic plus(LegStats leg) {
        return new RelayTraffic(packets + leg.packets(), bytes + leg.bytes(), droppedPackets + leg.droppedPackets());
    }

    /** Each figure the larger of these and {@code other}'s. */
    public RelayTraffic atLeast(RelayTraffic other) {
        return new RelayTraffic(Math.max(packets, other.packets), Math.max(bytes, other.bytes),
                Math.max(droppedPackets, other.droppedPackets));
    }
}
