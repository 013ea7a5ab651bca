package io.sipserver.relay.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ResourceLeakDetector;
import io.sipserver.relay.LegStats;
import io.sipserver.relay.RtpClockRates;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.relay.Side;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packet path of a stream's four sockets, on embedded channels (no sockets, no threads). */
class RelayPipelineTest {

    private static final InetSocketAddress RELAY_A = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress RELAY_B = new InetSocketAddress("127.0.0.1", 40002);
    private static final InetSocketAddress ALICE_SDP = new InetSocketAddress("192.168.1.10", 4000);
    private static final InetSocketAddress ALICE = new InetSocketAddress("198.51.100.1", 61000);
    private static final InetSocketAddress BOB_SDP = new InetSocketAddress("192.168.2.20", 5000);
    private static final InetSocketAddress BOB = new InetSocketAddress("198.51.100.2", 62000);
    private static final InetSocketAddress MALLORY = new InetSocketAddress("203.0.113.66", 5004);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final NettyRelayStream stream = new NettyRelayStream(clock.millis());
    private final Map<Side, EmbeddedChannel> rtp = new EnumMap<>(Side.class);
    private final Map<Side, EmbeddedChannel> rtcp = new EnumMap<>(Side.class);
    private final List<ByteBuf> sent = new ArrayList<>();
    private long nanoTime;

    @BeforeAll
    static void detectLeaks() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @BeforeEach
    void openEmbeddedSockets() {
        for (Side side : Side.values()) {
            rtp.put(side, socket(stream, stream.leg(side, false)));
            rtcp.put(side, socket(stream, stream.leg(side, true)));
        }
        stream.setPeer(Side.A, ALICE_SDP, null);
        stream.setPeer(Side.B, BOB_SDP, null);
    }

    @AfterEach
    void nothingLeaks() {
        for (EmbeddedChannel channel : List.of(rtp.get(Side.A), rtp.get(Side.B), rtcp.get(Side.A), rtcp.get(Side.B))) {
            assertThat(channel.finishAndReleaseAll()).as("unread messages").isFalse();
        }
        assertThat(sent).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void packetGoesOutOfTheOtherSidesSocketToItsAnnouncedAddressBeforeItsFirstPacket() {
        receive(rtp, Side.A, ALICE, rtpPacket(1, 0));

        DatagramPacket out = rtp.get(Side.B).readOutbound();
        assertThat(out.recipient()).isEqualTo(BOB_SDP);
        assertThat(out.content().getUnsignedShort(2)).isEqualTo(1);
        out.release();
    }

    @Test
    void bothSidesLatchToWherePacketsReallyComeFrom() {
        receive(rtp, Side.A, ALICE, rtpPacket(1, 0));
        release(rtp.get(Side.B).readOutbound());

        receive(rtp, Side.B, BOB, rtpPacket(7, 0));
        DatagramPacket toAlice = rtp.get(Side.A).readOutbound();
        receive(rtp, Side.A, ALICE, rtpPacket(2, 160));
        DatagramPacket toBob = rtp.get(Side.B).readOutbound();

        assertThat(toAlice.recipient()).isEqualTo(ALICE);
        assertThat(toBob.recipient()).isEqualTo(BOB);
        assertThat(stream.stats(Side.A).latchedAddress()).isEqualTo("198.51.100.1:61000");
        assertThat(stream.stats(Side.B).latchedAddress()).isEqualTo("198.51.100.2:62000");
        release(toAlice);
        release(toBob);
    }

    @Test
    void afterLatchingPacketsFromAnyoneElseAreDroppedAndCounted() {
        receive(rtp, Side.A, ALICE, rtpPacket(1, 0));
        release(rtp.get(Side.B).readOutbound());
        receive(rtcp, Side.A, new InetSocketAddress("198.51.100.1", 61001), rtcpPacket());
        release(rtcp.get(Side.B).readOutbound());

        receive(rtp, Side.A, MALLORY, rtpPacket(99, 0));
        receive(rtcp, Side.A, MALLORY, rtcpPacket());

        assertThat((Object) rtp.get(Side.B).readOutbound()).isNull();
        assertThat((Object) rtcp.get(Side.B).readOutbound()).isNull();
        LegStats alice = stream.stats(Side.A);
        assertThat(alice.droppedPackets()).isEqualTo(2);
        assertThat(alice.packets()).isEqualTo(1);
    }

    @Test
    void changedPeerAddressReopensLatchingForThatSide() {
        InetSocketAddress bobMovedSdp = new InetSocketAddress("192.168.2.21", 5002);
        InetSocketAddress bobMoved = new InetSocketAddress("198.51.100.3", 63000);
        receive(rtp, Side.B, BOB, rtpPacket(1, 0));
        release(rtp.get(Side.A).readOutbound());

        stream.setPeer(Side.B, bobMovedSdp, null);
        receive(rtp, Side.A, ALICE, rtpPacket(1, 0));
        DatagramPacket beforeMovedBobSends = rtp.get(Side.B).readOutbound();
        receive(rtp, Side.B, bobMoved, rtpPacket(2, 160));
        release(rtp.get(Side.A).readOutbound());
        receive(rtp, Side.A, ALICE, rtpPacket(2, 160));
        DatagramPacket afterMovedBobSends = rtp.get(Side.B).readOutbound();

        assertThat(beforeMovedBobSends.recipient()).isEqualTo(bobMovedSdp);
        assertThat(afterMovedBobSends.recipient()).isEqualTo(bobMoved);
        release(beforeMovedBobSends);
        release(afterMovedBobSends);
    }

    @Test
    void rtcpIsRelayedBetweenTheOddPortsAndLatchesOnItsOwn() {
        InetSocketAddress aliceRtcp = new InetSocketAddress("198.51.100.1", 61001);
        receive(rtcp, Side.A, aliceRtcp, rtcpPacket());

        DatagramPacket toBob = rtcp.get(Side.B).readOutbound();

        assertThat(toBob.recipient()).isEqualTo(new InetSocketAddress("192.168.2.20", 5001));
        assertThat((Object) rtp.get(Side.B).readOutbound()).isNull();
        assertThat(stream.stats(Side.A).packets()).as("RTCP is not counted as RTP").isZero();
        release(toBob);
    }

    @Test
    void packetWithNowhereToGoIsDropped() {
        NettyRelayStream unannounced = new NettyRelayStream(clock.millis());
        EmbeddedChannel a = socket(unannounced, unannounced.leg(Side.A, false));
        EmbeddedChannel b = socket(unannounced, unannounced.leg(Side.B, false));
        ByteBuf packet = rtpPacket(1, 0);

        a.writeInbound(new DatagramPacket(packet, RELAY_A, ALICE));

        assertThat((Object) b.readOutbound()).isNull();
        assertThat(packet.refCnt()).isZero();
        assertThat(unannounced.stats(Side.A).latchedAddress()).isEqualTo("198.51.100.1:61000");
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void sequenceGapCountsAsLossOfThatSide() {
        for (int seq : new int[] {10, 11, 12, 15, 16}) {
            receive(rtp, Side.A, ALICE, rtpPacket(seq, 160L * seq));
            release(rtp.get(Side.B).readOutbound());
        }

        LegStats alice = stream.stats(Side.A);
        assertThat(alice.packets()).isEqualTo(5);
        assertThat(alice.bytes()).isEqualTo(5 * 172);
        assertThat(alice.packetsLost()).isEqualTo(2);
        assertThat(stream.stats(Side.B).packetsLost()).isZero();
    }

    @Test
    void jitterIsMeasuredFromArrivalTimes() {
        // 20 ms packets; the third arrives 10 ms late: D = 80 units twice → J = 5, then 5 + 75/16 = 9.6875 units.
        long[] arrivalsMs = {0, 20, 50, 60};
        for (int i = 0; i < arrivalsMs.length; i++) {
            nanoTime = arrivalsMs[i] * 1_000_000;
            receive(rtp, Side.A, ALICE, rtpPacket(i, 160L * i));
            release(rtp.get(Side.B).readOutbound());
        }

        assertThat(stream.stats(Side.A).jitterMs()).isEqualTo(9.6875 / 8);
    }

    @Test
    void jitterIsMeasuredInTheClockTheSendersSdpGivesItsPayloadType() {
        stream.setClockRates(Side.A, RtpClockRates.fromRtpmaps(List.of("111 opus/48000/2")));

        // As above at 48 kHz (960 units per 20 ms): the same 9.6875 / 8 ms; at 8 kHz it would be near 100 ms.
        long[] arrivalsMs = {0, 20, 50, 60};
        for (int i = 0; i < arrivalsMs.length; i++) {
            nanoTime = arrivalsMs[i] * 1_000_000;
            boolean marker = i == 0;
            receive(rtp, Side.A, ALICE, rtpPacket(marker ? 0x80 | 111 : 111, i, 960L * i));
            release(rtp.get(Side.B).readOutbound());
        }

        assertThat(stream.stats(Side.A).jitterMs()).isCloseTo(9.6875 / 8, within(1e-9));
    }

    @Test
    void aPayloadTypeTheSenderLeftUnmappedTakesThePeersClock() {
        stream.setClockRates(Side.A, RtpClockRates.fromRtpmaps(List.of("111 opus/48000/2")));
        stream.setClockRates(Side.B, RtpClockRates.fromRtpmaps(List.of("101 telephone-event/48000")));

        long[] arrivalsMs = {0, 20, 50, 60};
        for (int i = 0; i < arrivalsMs.length; i++) {
            nanoTime = arrivalsMs[i] * 1_000_000;
            receive(rtp, Side.A, ALICE, rtpPacket(101, i, 960L * i));
            release(rtp.get(Side.B).readOutbound());
        }

        assertThat(stream.stats(Side.A).jitterMs()).isCloseTo(9.6875 / 8, within(1e-9));
    }

    @Test
    void aRetiredStreamForgetsItsCallsClockRates() {
        stream.setClockRates(Side.A, RtpClockRates.fromRtpmaps(List.of("111 opus/48000/2")));
        stream.stopServing();
        stream.retire();
        stream.serve(null, clock.millis());
        stream.setPeer(Side.B, BOB_SDP, null);

        // Perfectly timed 48 kHz packets read at the fallback 8 kHz: |D| = 800 units = 100 ms, J = 100/16 ms.
        for (int i = 0; i < 2; i++) {
            nanoTime = i * 20_000_000L;
            receive(rtp, Side.A, ALICE, rtpPacket(111, i, 960L * i));
            release(rtp.get(Side.B).readOutbound());
        }

        assertThat(stream.stats(Side.A).jitterMs()).isCloseTo(100.0 / 16, within(1e-9));
    }

    @Test
    void everyAcceptedPacketStampsTheStreamsActivity() {
        clock.advance(Duration.ofSeconds(30));
        receive(rtcp, Side.B, BOB, rtcpPacket());
        release(rtcp.get(Side.A).readOutbound());

        assertThat(stream.lastPacketMillis().get()).isEqualTo(clock.millis());

        clock.advance(Duration.ofSeconds(30));
        receive(rtcp, Side.B, MALLORY, rtcpPacket());
        assertThat(stream.lastPacketMillis().get()).as("dropped packets are no activity")
                .isEqualTo(clock.millis() - 30_000);
    }

    @Test
    void aRetiredStreamDropsEveryPacketUnseenAndServesItsNextCallAsNew() {
        receive(rtp, Side.A, ALICE, rtpPacket(1, 0));
        release(rtp.get(Side.B).readOutbound());
        receive(rtp, Side.A, MALLORY, rtpPacket(99, 0));

        stream.stopServing();
        receive(rtp, Side.A, ALICE, rtpPacket(2, 160));
        assertThat((Object) rtp.get(Side.B).readOutbound()).as("the call's late packet, before retirement").isNull();
        assertThat(stream.stats(Side.A).packets()).isEqualTo(1);
        stream.retire();
        clock.advance(Duration.ofSeconds(5));
        receive(rtp, Side.A, MALLORY, rtpPacket(2, 160));
        receive(rtcp, Side.B, BOB, rtcpPacket());

        assertThat((Object) rtp.get(Side.B).readOutbound()).as("nothing relayed while idle").isNull();
        assertThat((Object) rtcp.get(Side.A).readOutbound()).isNull();
        LegStats retired = stream.stats(Side.A);
        assertThat(retired.packets()).isZero();
        assertThat(retired.droppedPackets()).isZero();
        assertThat(retired.latchedAddress()).isNull();
        assertThat(stream.peer(Side.A)).isEmpty();
        assertThat(stream.lastPacketMillis().get()).as("idle packets are no activity").isEqualTo(clock.millis() - 5_000);

        stream.serve(null, clock.millis());
        stream.setPeer(Side.B, BOB_SDP, null);
        receive(rtp, Side.A, MALLORY, rtpPacket(3, 320));

        DatagramPacket out = rtp.get(Side.B).readOutbound();
        assertThat(out.recipient()).isEqualTo(BOB_SDP);
        out.release();
        assertThat(stream.stats(Side.A).latchedAddress()).as("latching is open again").isEqualTo("203.0.113.66:5004");
        assertThat(stream.stats(Side.A).packets()).isEqualTo(1);
    }

    private EmbeddedChannel socket(NettyRelayStream owner, Leg leg) {
        EmbeddedChannel channel = new EmbeddedChannel();
        RelayPipeline.install(channel.pipeline(), owner, leg, FastPath.NONE, clock, () -> nanoTime);
        leg.channel = channel;
        return channel;
    }

    private void receive(Map<Side, EmbeddedChannel> sockets, Side side, InetSocketAddress from, ByteBuf packet) {
        sockets.get(side).writeInbound(new DatagramPacket(packet, side == Side.A ? RELAY_A : RELAY_B, from));
    }

    private ByteBuf rtpPacket(int sequence, long timestamp) {
        return rtpPacket(0, sequence, timestamp);
    }

    /** @param markerAndPayloadType the second header byte */
    private ByteBuf rtpPacket(int markerAndPayloadType, int sequence, long timestamp) {
        ByteBuf packet = Unpooled.buffer(172);
        packet.writeByte(0x80).writeByte(markerAndPayloadType).writeShort(sequence).writeInt((int) timestamp)
                .writeInt(0x0BADCAFE);
        packet.writeZero(160);
        sent.add(packet);
        return packet;
    }

    private ByteBuf rtcpPacket() {
        ByteBuf packet = Unpooled.buffer(28);
        packet.writeByte(0x80).writeByte(200).writeShort(6).writeZero(24);
        sent.add(packet);
        return packet;
    }

    private static void release(DatagramPacket packet) {
        assertThat(packet).as("forwarded packet").isNotNull();
        packet.release();
    }
}
