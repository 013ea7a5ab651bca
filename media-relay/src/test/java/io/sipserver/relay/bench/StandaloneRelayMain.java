package io.sipserver.relay.bench;

import io.sipserver.config.RelayProperties;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;
import io.sipserver.relay.netty.NettyMediaRelay;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs {@link NettyMediaRelay} alone (no SIP app) for the RTP benchmark harness
 * ({@code bench/rtp-driver-embedded.sh}): sets up N sessions whose peers are the generator's ports, writes the
 * harness's {@code PAIR a_local a_relay b_local b_relay} lines to a file, prints READY, and runs for at most the
 * given seconds.
 *
 * <p>Arguments: {@code pairsFile portMin portMax sessions aBase aCount bBase bCount ioThreads maxSeconds}.
 */
public final class StandaloneRelayMain {

    public static void main(String[] args) throws Exception {
        Path pairsFile = Path.of(args[0]);
        int portMin = Integer.parseInt(args[1]);
        int portMax = Integer.parseInt(args[2]);
        int sessions = Integer.parseInt(args[3]);
        int aBase = Integer.parseInt(args[4]);
        int aCount = Integer.parseInt(args[5]);
        int bBase = Integer.parseInt(args[6]);
        int bCount = Integer.parseInt(args[7]);
        int ioThreads = Integer.parseInt(args[8]);
        long maxSeconds = Long.parseLong(args[9]);
        RelayProperties properties = new RelayProperties("127.0.0.1", "127.0.0.1", portMin, portMax,
                RelayProperties.Mode.ALWAYS, Duration.ofSeconds(maxSeconds + 60), ioThreads);
        try (NettyMediaRelay relay = new NettyMediaRelay(properties, "127.0.0.1", Clock.systemUTC());
             PrintWriter pairs = new PrintWriter(Files.newBufferedWriter(pairsFile))) {
            for (int i = 0; i < sessions; i++) {
                int a = aBase + i % aCount;
                int b = bBase + i % bCount;
                RelaySession session = relay.create("bench-" + i);
                RelayStream stream = session.streams().get(0);
                stream.setPeer(Side.A, new InetSocketAddress("127.0.0.1", a), null);
                stream.setPeer(Side.B, new InetSocketAddress("127.0.0.1", b), null);
                pairs.println("PAIR " + a + " " + stream.rtpPort(Side.A) + " " + b + " " + stream.rtpPort(Side.B));
            }
            pairs.flush();
            System.out.println("READY sessions=" + sessions);
            System.out.flush();
            sleepUpTo(maxSeconds);
        }
    }

    private static void sleepUpTo(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
