package io.sipserver.proxy.nat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A phone's media for {@link NatEndToEndTest}, run as a process of its own inside a client's namespace (the test
 * JVM cannot sit behind a NAT): it talks, one G.711 RTP packet every 20 ms from its port to the relay port the
 * SDP named, and listens, counting the RTP packets that arrive on its port and where they came from.
 *
 * <p>Usage: {@code RtpPeer LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT}. It prints {@code received N} after every
 * tenth packet received, and runs until its stdin is closed (at most {@link #MAX_RUN}); then it prints
 * {@code done SENT RECEIVED SOURCES}, SOURCES being the distinct {@code host:port} packets came from, separated by
 * commas ({@code -} for none).
 */
final class RtpPeer {

    private static final Duration MAX_RUN = Duration.ofSeconds(30);
    private static final long PTIME_MS = 20;
    /** 20 ms of PCMU at 8000 samples/s; any byte is a valid sample. */
    private static final int PAYLOAD_BYTES = 160;
    private static final int HEADER_BYTES = 12;
    private static final int REPORT_EVERY = 10;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private RtpPeer() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress local = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        InetSocketAddress remote = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (DatagramSocket socket = new DatagramSocket(local)) {
            Talker talker = new Talker(socket, remote);
            Listener listener = new Listener(socket);
            Thread listening = new Thread(listener, "rtp-listener");
            listening.start();
            clock.scheduleAtFixedRate(talker, 0, PTIME_MS, TimeUnit.MILLISECONDS);
            awaitEndOfInput();
            clock.shutdownNow();
            clock.awaitTermination(1, TimeUnit.SECONDS);
            socket.close();
            listening.join(STOP_WAIT.toMillis());
            String sources = listener.sources.isEmpty() ? "-" : String.join(",", listener.sources);
            System.out.println("done " + talker.sent + " " + listener.received + " " + sources);
            System.out.flush();
        }
    }

    /** Returns when stdin is closed, or after {@link #MAX_RUN}. */
    private static void awaitEndOfInput() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is sent on stdin: only its end matters
                }
            } catch (IOException e) {
                // a broken stdin ends the run as well
            }
            closed.countDown();
        }, "stdin-watch");
        reader.setDaemon(true);
        reader.start();
        closed.await(MAX_RUN.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the next RTP packet each time it runs (one packet object, rewritten in place). */
    private static final class Talker implements Runnable {

        private final DatagramSocket socket;
        private final byte[] buffer = new byte[HEADER_BYTES + PAYLOAD_BYTES];
        private final DatagramPacket packet;
        private volatile long sent;

        Talker(DatagramSocket socket, InetSocketAddress remote) {
            this.socket = socket;
            this.packet = new DatagramPacket(buffer, buffer.length, remote);
            buffer[0] = (byte) 0x80;   // RTP version 2, no padding, no extension, no CSRC
            buffer[1] = 0;             // payload type 0 (PCMU), no marker
            int ssrc = ThreadLocalRandom.current().nextInt();
            putInt(8, ssrc);
            Arrays.fill(buffer, HEADER_BYTES, buffer.length, (byte) 0xFF);
        }

        @Override
        public void run() {
            long sequence = sent;
            buffer[2] = (byte) (sequence >> 8);
            buffer[3] = (byte) sequence;
            putInt(4, (int) (sequence * PAYLOAD_BYTES));
            try {
                socket.send(packet);
                sent = sequence + 1;
            } catch (IOException e) {
                // counted as not sent; the test judges by what arrived
            }
        }

        private void putInt(int offset, int value) {
            buffer[offset] = (byte) (value >> 24);
            buffer[offset + 1] = (byte) (value >> 16);
            buffer[offset + 2] = (byte) (value >> 8);
            buffer[offset + 3] = (byte) value;
        }
    }

    /** Counts the RTP packets arriving on the socket until it is closed. */
    private static final class Listener implements Runnable {

        private final DatagramSocket socket;
        private final Set<String> sources = new TreeSet<>();
        private volatile long received;

        Listener(DatagramSocket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            while (!socket.isClosed()) {
                try {
                    socket.receive(packet);
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    continue;
                }
                boolean rtp = packet.getLength() >= HEADER_BYTES && (packet.getData()[0] & 0xC0) == 0x80;
                if (rtp) {
                    sources.add(packet.getAddress().getHostAddress() + ":" + packet.getPort());
                    long count = ++received;
                    if (count % REPORT_EVERY == 0) {
                        System.out.println("received " + count);
                        System.out.flush();
                    }
                }
            }
        }
    }

    /** A peer process started by the test; what it prints goes to a file the test reads. */
    static final class Running implements AutoCloseable {

        private static final Duration POLL = Duration.ofMillis(50);

        private final Process process;
        private final Path output;

        private Running(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        /** Starts a peer in {@code netns}: it talks from {@code localIp:localPort} to {@code remote}. */
        static Running start(NatNetwork network, String netns, String localIp, int localPort, String remoteIp,
                int remotePort, Path directory) {
            Path output = directory.resolve("rtp-" + localIp + ".out");
            String classes;
            try {
                classes = Path.of(RtpPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot locate the test classes", e);
            }
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", classes, RtpPeer.class.getName(),
                    localIp, Integer.toString(localPort), remoteIp, Integer.toString(remotePort));
            return new Running(network.start(netns, command, output), output);
        }

        /** Waits until the peer has received at least {@code packets}; false when it did not within {@code wait}. */
        boolean awaitReceived(long packets, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (received() < packets) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(POLL.toMillis());
            }
            return true;
        }

        /** Stops the peer (closes its stdin) and returns what it reports. */
        Summary stop() throws InterruptedException {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.flush();
            } catch (IOException e) {
                // already gone: its output tells
            }
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            return lines().stream().filter(l -> l.startsWith("done ")).findFirst()
                    .map(Summary::parse)
                    .orElseThrow(() -> new AssertionError("RTP peer ended without a summary:\n" + describe()));
        }

        /** The peer's output, for assertion messages. */
        String describe() {
            return String.join("\n", lines());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }

        private long received() {
            List<String> lines = lines();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("received ")) {
                    return Long.parseLong(lines.get(i).substring("received ".length()).strip());
                }
            }
            return 0;
        }

        /** The lines printed so far, without a last one still being written. */
        private List<String> lines() {
            try {
                String text = Files.exists(output) ? Files.readString(output) : "";
                return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + output, e);
            }
        }
    }

    /** What a peer reported at its end. */
    record Summary(long sent, long received, List<String> sources) {

        static Summary parse(String line) {
            String[] fields = line.split(" ");
            List<String> sources = fields[3].equals("-") ? List.of() : List.of(fields[3].split(","));
            return new Summary(Long.parseLong(fields[1]), Long.parseLong(fields[2]), sources);
        }
    }
}
