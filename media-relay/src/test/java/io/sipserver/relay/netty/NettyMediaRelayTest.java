package io.sipserver.relay.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.sipserver.config.RelayProperties;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.relay.RelayPortsExhaustedException;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayTraffic;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The relay on real UDP sockets on 127.0.0.1, each test with a port range of its own inside 40000-59999. */
class NettyMediaRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RECEIVE_TIMEOUT_MS = 5_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(RelayTransport.class)
    void relaysRtpBothWaysAndLatchesToTheRealSourcePorts(RelayTransport transport) throws Exception {
        NettyMediaRelay relay = relay(8, clock, transport);
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        RelayStream stream = relay.create("call-1").streams().get(0);
        stream.setPeer(Side.A, new InetSocketAddress(LOOPBACK, unusedPort()), null);
        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, unusedPort()), null);

        send(alice, stream.rtpPort(Side.A), rtp(1));
        awaitLatched(stream, Side.A);
        send(bob, stream.rtpPort(Side.B), rtp(100));
        DatagramPacket atAlice = receive(alice);
        awaitLatched(stream, Side.B);
        send(alice, stream.rtpPort(Side.A), rtp(2));
        DatagramPacket atBob = receive(bob);

        assertThat(sequence(atAlice)).isEqualTo(100);
        assertThat(atAlice.getPort()).as("symmetric: from the port Alice sends to").isEqualTo(stream.rtpPort(Side.A));
        assertThat(sequence(atBob)).isEqualTo(2);
        assertThat(atBob.getPort()).isEqualTo(stream.rtpPort(Side.B));
        assertThat(stream.stats(Side.A).latchedAddress()).isEqualTo("127.0.0.1:" + alice.getLocalPort());
        assertThat(stream.stats(Side.B).latchedAddress()).isEqualTo("127.0.0.1:" + bob.getLocalPort());
        assertThat(stream.stats(Side.A).packets()).isEqualTo(2);
        assertThat(stream.stats(Side.A).bytes()).isEqualTo(2 * 172);
    }

    @Test
    void packetsFromAThirdPartyAreDroppedAndCounted() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        DatagramSocket mallory = socket();
        RelayStream stream = relay.create("call-1").streams().get(0);
        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bob.getLocalPort()), null);
        send(alice, stream.rtpPort(Side.A), rtp(1));
        assertThat(sequence(receive(bob))).isEqualTo(1);

        send(mallory, stream.rtpPort(Side.A), rtp(666));
        send(alice, stream.rtpPort(Side.A), rtp(2));

        assertThat(sequence(receive(bob))).as("Mallory's packet was not relayed").isEqualTo(2);
        awaitTrue(() -> stream.stats(Side.A).droppedPackets() == 1);
        assertThat(stream.stats(Side.A).packets()).isEqualTo(2);
    }

    @Test
    void withEpollALatchedLegGetsAConnectedSocketAndOthersAreStillDroppedAndCounted() throws Exception {
        // The build ships Netty's linux-x86_64 epoll library, so on Linux (CI) a missing epoll is a failure.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "native epoll exists only on Linux");
        assertThat(Epoll.isAvailable()).as("native epoll: %s", Epoll.unavailabilityCause()).isTrue();
        NettyMediaRelay relay = relay(8, clock, RelayTransport.EPOLL);
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        DatagramSocket mallory = socket();
        RelayStream stream = relay.create("call-1").streams().get(0);
        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bob.getLocalPort()), null);
        Leg aliceLeg = ((NettyRelaySession.View) stream).stream().leg(Side.A, false);

        send(alice, stream.rtpPort(Side.A), rtp(1));
        receive(bob);
        awaitTrue(() -> new InetSocketAddress(LOOPBACK, alice.getLocalPort()).equals(onLoop(aliceLeg, () -> {
            Channel connected = aliceLeg.connected;
            return connected == null ? null : connected.remoteAddress();
        })));
        send(mallory, stream.rtpPort(Side.A), rtp(666));
        send(alice, stream.rtpPort(Side.A), rtp(2));
        send(bob, stream.rtpPort(Side.B), rtp(50));

        assertThat(sequence(receive(bob))).isEqualTo(2);
        assertThat(sequence(receive(alice))).as("sent back through the connected socket").isEqualTo(50);
        awaitTrue(() -> stream.stats(Side.A).droppedPackets() == 1);
        assertThat(stream.stats(Side.A).packets()).isEqualTo(2);
    }

    @Test
    void rtcpIsRelayedBetweenTheOddPorts() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        DatagramSocket alice = socket();
        DatagramSocket bobRtp = socket();
        DatagramSocket bobRtcp = socket();
        RelayStream stream = relay.create("call-1").streams().get(0);
        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bobRtp.getLocalPort()),
                new InetSocketAddress(LOOPBACK, bobRtcp.getLocalPort()));

        send(alice, stream.rtpPort(Side.A) + 1, rtcpSenderReport());
        DatagramPacket atBob = receive(bobRtcp);

        assertThat(atBob.getPort()).isEqualTo(stream.rtpPort(Side.B) + 1);
        assertThat(atBob.getData()[atBob.getOffset() + 1] & 0xFF).isEqualTo(200);
    }

    @Test
    void reInviteMovingAPeerReopensLatchingForThatSide() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        DatagramSocket bobsNewPhone = socket();
        RelayStream stream = relay.create("call-1").streams().get(0);
        stream.setPeer(Side.A, new InetSocketAddress(LOOPBACK, alice.getLocalPort()), null);
        send(bob, stream.rtpPort(Side.B), rtp(1));
        receive(alice);

        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bobsNewPhone.getLocalPort()), null);
        send(bobsNewPhone, stream.rtpPort(Side.B), rtp(2));

        assertThat(sequence(receive(alice))).isEqualTo(2);
        assertThat(stream.stats(Side.B).latchedAddress()).isEqualTo("127.0.0.1:" + bobsNewPhone.getLocalPort());
    }

    @Test
    void sessionsBeyondThePortRangeAreRefusedAndNothingLeaks() throws Exception {
        NettyMediaRelay relay = relay(4, clock, RelayTransport.best());
        RelaySession first = relay.create("call-1");
        RelaySession second = relay.create("call-2");

        assertThatThrownBy(() -> relay.create("call-3")).isInstanceOf(RelayPortsExhaustedException.class);
        assertThatThrownBy(() -> first.stream(1)).isInstanceOf(RelayPortsExhaustedException.class);
        assertThat(relay.freePortPairs()).isZero();
        assertThat(first.streams()).hasSize(1);

        assertThat(relay.release(first.id())).isTrue();
        assertThat(relay.release(second.id())).isTrue();
        assertThat(relay.release(second.id())).as("releasing twice").isFalse();

        assertThat(relay.freePortPairs()).isEqualTo(4);
        assertThat(relay.sessions()).isEmpty();
        assertThat(relay.create("call-4").streams()).hasSize(1);
    }

    @Test
    void trafficTotalsKeepWhatReleasedSessionsReceived() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        RelaySession session = relay.create("call-1");
        RelayStream stream = session.streams().get(0);
        stream.setPeer(Side.A, new InetSocketAddress(LOOPBACK, unusedPort()), null);
        stream.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bob.getLocalPort()), null);

        send(alice, stream.rtpPort(Side.A), rtp(1));
        send(alice, stream.rtpPort(Side.A), rtp(2));
        receive(bob);
        receive(bob);
        assertThat(relay.traffic()).isEqualTo(new RelayTraffic(2, 2 * 172, 0));

        relay.release(session.id());
        assertThat(relay.traffic()).as("after release").isEqualTo(new RelayTraffic(2, 2 * 172, 0));

        RelayStream next = relay.create("call-2").streams().get(0);
        next.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bob.getLocalPort()), null);
        send(alice, next.rtpPort(Side.A), rtp(3));
        receive(bob);
        awaitTrue(() -> relay.traffic().equals(new RelayTraffic(3, 3 * 172, 0)));
    }

    @Test
    void aStreamWhoseCallEndedServesALaterCallAsNewAndNoLongerHearsItsOldCall() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        DatagramSocket oldCaller = socket();
        DatagramSocket newCaller = socket();
        DatagramSocket newCallee = socket();
        RelaySession first = relay.create("call-1");
        RelayStream old = first.streams().get(0);
        send(oldCaller, old.rtpPort(Side.A), rtp(1));
        awaitLatched(old, Side.A);
        List<Integer> oldPorts = List.of(old.rtpPort(Side.A), old.rtpPort(Side.B));
        relay.release(first.id());
        awaitRetired(old);

        RelayStream meanwhile = relay.create("call-2").streams().get(0);
        clock.advance(Duration.ofMillis(NettyMediaRelay.REUSE_AFTER_MILLIS));
        RelayStream reused = relay.create("call-3").streams().get(0);
        old.setPeer(Side.B, new InetSocketAddress(LOOPBACK, unusedPort()), null);
        reused.setPeer(Side.B, new InetSocketAddress(LOOPBACK, newCallee.getLocalPort()), null);

        assertThat(List.of(meanwhile.rtpPort(Side.A), meanwhile.rtpPort(Side.B))).doesNotContainAnyElementsOf(oldPorts);
        assertThat(List.of(reused.rtpPort(Side.A), reused.rtpPort(Side.B))).isEqualTo(oldPorts);
        assertThat(reused.stats(Side.A).latchedAddress()).isNull();
        assertThat(reused.stats(Side.A).packets()).isZero();
        assertThat(reused.peer(Side.B)).as("the old call's stale stream changed nothing")
                .contains(new InetSocketAddress(LOOPBACK, newCallee.getLocalPort()));
        send(newCaller, reused.rtpPort(Side.A), rtp(7));
        assertThat(sequence(receive(newCallee))).isEqualTo(7);
        assertThat(reused.stats(Side.A).latchedAddress()).isEqualTo("127.0.0.1:" + newCaller.getLocalPort());
        assertThat(relay.freePortPairs()).isEqualTo(4);
    }

    @Test
    void whenPortsRunShortAStreamWhoseCallEndedIsReusedAtOnce() throws Exception {
        NettyMediaRelay relay = relay(2, clock, RelayTransport.best());
        RelaySession first = relay.create("call-1");
        List<Integer> ports = List.of(first.streams().get(0).rtpPort(Side.A), first.streams().get(0).rtpPort(Side.B));
        relay.release(first.id());

        RelayStream second = relay.create("call-2").streams().get(0);

        assertThat(List.of(second.rtpPort(Side.A), second.rtpPort(Side.B))).isEqualTo(ports);
        assertThat(relay.freePortPairs()).isZero();
    }

    @Test
    void releaseDoesNotWaitForABusyEventLoopAndANewCallTakesTheStreamOnceItIsRetired() throws Exception {
        NettyMediaRelay relay = relay(2, clock, RelayTransport.best());
        RelaySession first = relay.create("call-1");
        RelayStream old = first.streams().get(0);
        List<Integer> ports = List.of(old.rtpPort(Side.A), old.rtpPort(Side.B));
        CountDownLatch loopFree = new CountDownLatch(1);
        loopOf(old).execute(() -> {
            try {
                loopFree.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService signalling = Executors.newSingleThreadExecutor();
        resources.add(signalling::shutdownNow);

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> relay.release(first.id()), "release with the loop busy");
        assertThat(relay.freePortPairs()).as("the ports count as free at once").isEqualTo(2);
        Future<RelaySession> second = signalling.submit(() -> relay.create("call-2"));
        loopFree.countDown();

        RelayStream reused = second.get(10, TimeUnit.SECONDS).streams().get(0);
        assertThat(List.of(reused.rtpPort(Side.A), reused.rtpPort(Side.B))).isEqualTo(ports);
    }

    @Test
    void oneFreePairIsNotEnoughForAStreamAndIsNotLost() throws Exception {
        NettyMediaRelay relay = relay(3, clock, RelayTransport.best());
        RelaySession session = relay.create("call-1");

        assertThatThrownBy(() -> session.stream(1)).isInstanceOf(RelayPortsExhaustedException.class);

        assertThat(relay.freePortPairs()).isEqualTo(1);
    }

    @Test
    void portPairHeldByAnotherProcessIsSkipped() throws Exception {
        int first = randomEvenPort(4);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, first + 1))) {
            NettyMediaRelay relay = relay(first, 4, clock, RelayTransport.best());

            RelayStream stream = relay.create("call-1").streams().get(0);

            assertThat(List.of(stream.rtpPort(Side.A), stream.rtpPort(Side.B))).doesNotContain(first);
            assertThat(relay.freePortPairs()).as("the skipped pair stays in the pool").isEqualTo(2);
        }
    }

    @Test
    void sessionWithoutPacketsEndsAfterTheMediaTimeout() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        List<RelaySession> timedOut = new CopyOnWriteArrayList<>();
        relay.onMediaTimeout(timedOut::add);
        RelaySession session = relay.create("call-1");

        clock.advance(TIMEOUT.minusSeconds(1));
        relay.expireSilentSessions();
        assertThat(timedOut).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        relay.expireSilentSessions();
        relay.expireSilentSessions();

        assertThat(timedOut).containsExactly(session);
        assertThat(relay.find(session.id())).isEmpty();
        assertThat(relay.freePortPairs()).isEqualTo(8);
    }

    @Test
    void packetsPostponeTheMediaTimeout() throws Exception {
        NettyMediaRelay relay = relay(8, clock, RelayTransport.best());
        List<RelaySession> timedOut = new CopyOnWriteArrayList<>();
        relay.onMediaTimeout(timedOut::add);
        DatagramSocket alice = socket();
        RelaySession session = relay.create("call-1");

        clock.advance(Duration.ofSeconds(50));
        send(alice, session.streams().get(0).rtpPort(Side.A), rtp(1));
        awaitTrue(() -> session.lastPacketAt().equals(clock.instant()));
        clock.advance(Duration.ofSeconds(50));
        relay.expireSilentSessions();
        assertThat(timedOut).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        relay.expireSilentSessions();
        assertThat(timedOut).containsExactly(session);
    }

    @Test
    void theScanRunsByItself() throws Exception {
        int first = randomEvenPort(4);
        NettyMediaRelay relay = track(new NettyMediaRelay(properties(first, 4, Duration.ofSeconds(1)), "127.0.0.1",
                Clock.systemUTC(), RelayTransport.best()));
        List<RelaySession> timedOut = new CopyOnWriteArrayList<>();
        relay.onMediaTimeout(timedOut::add);

        RelaySession session = relay.create("call-1");

        awaitTrue(() -> !timedOut.isEmpty());
        assertThat(timedOut).containsExactly(session);
        assertThat(relay.sessions()).isEmpty();
    }

    @Test
    void failingListenerDoesNotKeepTheSessionAlive() throws Exception {
        NettyMediaRelay relay = relay(4, clock, RelayTransport.best());
        relay.onMediaTimeout(session -> {
            throw new IllegalStateException("listener bug");
        });
        relay.create("call-1");

        clock.advance(TIMEOUT);
        relay.expireSilentSessions();

        assertThat(relay.sessions()).isEmpty();
        assertThat(relay.freePortPairs()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(RelayTransport.class)
    void warmUpRelaysEveryPacketAndLeavesNoTraceInSessionsOrTotals(RelayTransport transport) throws Exception {
        NettyMediaRelay relay = relay(2, clock, transport);

        assertThat(relay.warmUp(500)).isEqualTo(1000);

        assertThat(relay.sessions()).isEmpty();
        assertThat(relay.traffic()).isEqualTo(new RelayTraffic(0, 0, 0));
        assertThat(relay.freePortPairs()).isEqualTo(2);
        RelayStream call = relay.create("call-1").streams().get(0);
        assertThat(call.stats(Side.A).packets()).as("the warm-up stream serves a call as new").isZero();
        assertThat(call.stats(Side.A).latchedAddress()).isNull();
        DatagramSocket alice = socket();
        DatagramSocket bob = socket();
        call.setPeer(Side.B, new InetSocketAddress(LOOPBACK, bob.getLocalPort()), null);
        send(alice, call.rtpPort(Side.A), rtp(9));
        assertThat(sequence(receive(bob))).isEqualTo(9);
    }

    @Test
    void oneEventLoopPerCoreByDefault() {
        assertThat(NettyMediaRelay.defaultIoThreads(1)).isEqualTo(1);
        assertThat(NettyMediaRelay.defaultIoThreads(2)).isEqualTo(2);
        assertThat(NettyMediaRelay.defaultIoThreads(8)).isEqualTo(8);
    }

    @Test
    void closeReleasesEverySessionAndClosesEverySocket() throws Exception {
        int firstPort = randomEvenPort(8);
        NettyMediaRelay relay = relay(firstPort, 8, clock, RelayTransport.best());
        relay.release(relay.create("call-0").id());
        RelaySession session = relay.create("call-1");
        session.stream(1);

        relay.close();

        assertThat(relay.sessions()).isEmpty();
        assertThat(relay.freePortPairs()).isEqualTo(8);
        assertThatThrownBy(() -> session.stream(2)).isInstanceOf(IllegalStateException.class);
        for (int port = firstPort; port < firstPort + 16; port++) {
            new DatagramSocket(new InetSocketAddress(LOOPBACK, port)).close();
        }
    }

    // --- helpers

    private NettyMediaRelay relay(int pairs, Clock clock, RelayTransport transport) {
        return relay(randomEvenPort(pairs), pairs, clock, transport);
    }

    private NettyMediaRelay relay(int firstPort, int pairs, Clock clock, RelayTransport transport) {
        return track(new NettyMediaRelay(properties(firstPort, pairs, TIMEOUT), "127.0.0.1", clock, transport));
    }

    private static RelayProperties properties(int firstPort, int pairs, Duration mediaTimeout) {
        return new RelayProperties("127.0.0.1", "", firstPort, firstPort + 2 * pairs - 1,
                RelayProperties.Mode.ALWAYS, mediaTimeout, 1);
    }

    /** A random even port with room for {@code pairs} pairs, so that concurrent test runs rarely meet. */
    private static int randomEvenPort(int pairs) {
        return 40000 + 2 * ThreadLocalRandom.current().nextInt((20000 - 2 * pairs) / 2);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket socket = track(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
        socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        return socket;
    }

    private static int unusedPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return probe.getLocalPort();
        }
    }

    private static void send(DatagramSocket from, int relayPort, byte[] payload) throws IOException {
        from.send(new DatagramPacket(payload, payload.length, LOOPBACK, relayPort));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return packet;
    }

    private static byte[] rtp(int sequence) {
        ByteBuffer packet = ByteBuffer.allocate(172);
        packet.put((byte) 0x80).put((byte) 0).putShort((short) sequence).putInt(160 * sequence).putInt(0x5EED);
        return packet.array();
    }

    private static byte[] rtcpSenderReport() {
        ByteBuffer packet = ByteBuffer.allocate(28);
        packet.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt(0x5EED);
        return packet.array();
    }

    private static int sequence(DatagramPacket packet) {
        return ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength()).getShort(2) & 0xFFFF;
    }

    /** Reads event-loop-only state of a leg on its event loop. */
    private static <T> T onLoop(Leg leg, Callable<T> read) throws Exception {
        return leg.channel.eventLoop().submit(read).get();
    }

    private static EventLoop loopOf(RelayStream stream) {
        return ((NettyRelaySession.View) stream).stream().eventLoop();
    }

    /** Returns once the stream's event loop has run the retirement that its release queued there. */
    private static void awaitRetired(RelayStream stream) throws Exception {
        loopOf(stream).submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private static void awaitLatched(RelayStream stream, Side side) {
        awaitTrue(() -> stream.stats(side).latchedAddress() != null);
    }

    private static void awaitTrue(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(condition);
    }
}
