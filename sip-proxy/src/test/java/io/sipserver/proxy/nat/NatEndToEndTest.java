package io.sipserver.proxy.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sipserver.proxy.SipServerApplication;
import io.sipserver.proxy.testsupport.Sipp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4 end to end: two phones, each behind a NAT of its own, register (digest), call each other, talk both
 * ways through the RTP relay and hang up, over a network of Linux namespaces ({@link NatNetwork}). The server
 * runs in its own namespace as a child process (started from the test class path), SIPp does the signalling from
 * the clients' namespaces and {@link RtpPeer} processes the media. What a user would check: both phones hear
 * each other, the relay latched to the NATs' public addresses (never the private ones the phones announced), and
 * the call and its relay session are gone after the BYE.
 *
 * <p>Needs root: CI runs it as root. Where namespaces cannot be made, the test fails saying why.
 */
class NatEndToEndTest {

    private static final String DOMAIN = "example.test";
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "nat-admin-secret";
    /** Every process has its namespace to itself, so fixed well-known ports cannot collide with other tests. */
    private static final int SIP_PORT = 5060;
    private static final int HTTP_PORT = 8080;
    private static final int RELAY_PORT_MIN = 30000;
    private static final int RELAY_PORT_MAX = 30099;
    private static final int PHONE_SIP_PORT = 5060;
    private static final int PHONE_RTP_PORT = 40000;
    /** One second of audio each way. */
    private static final long PACKETS = 50;
    private static final Duration SERVER_START = Duration.ofSeconds(60);
    private static final Duration SIPP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SDP_WAIT = Duration.ofSeconds(10);
    private static final Duration MEDIA_WAIT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 60;

    @TempDir
    static Path dir;

    private static NatNetwork network;
    private static Path serverLog;
    private static NamespacedAdminApi api;

    @BeforeAll
    static void startServerInItsNamespace() throws InterruptedException {
        network = NatNetwork.create();
        serverLog = dir.resolve("server.log");
        Process server = network.start(network.server(), serverCommand(), serverLog);
        api = new NamespacedAdminApi(network, network.server(), HTTP_PORT, ADMIN, ADMIN_PASSWORD);
        long deadline = System.nanoTime() + SERVER_START.toNanos();
        while (!api.isUp()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                fail("the server did not start within " + SERVER_START.toSeconds() + " s"
                        + (server.isAlive() ? "" : " (it exited with " + server.exitValue() + ")")
                        + "\n--- server log (tail) ---\n" + serverLogTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    @AfterAll
    static void removeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void phonesBehindTwoNatsRegisterCallHearEachOtherAndHangUp() throws InterruptedException {
        api.createUser("alice", "alice-secret");
        api.createUser("bob", "bob-secret");
        Sipp sipp = Sipp.locate();

        try (Sipp.Running aliceRegisters = register(sipp, network.client1(), NatNetwork.CLIENT1, "alice;alice-secret");
             Sipp.Running bobRegisters = register(sipp, network.client2(), NatNetwork.CLIENT2, "bob;bob-secret")) {
            for (Sipp.Result registration : List.of(aliceRegisters.await(), bobRegisters.await())) {
                assertThat(registration.successfulCalls()).as(registration.describe()).isEqualTo(1);
            }
        }
        // The server reaches each phone where its REGISTER came from: the NAT's public address.
        assertThat(registeredSource("alice")).isEqualTo(NatNetwork.NAT1_PUBLIC + ":" + PHONE_SIP_PORT);
        assertThat(registeredSource("bob")).isEqualTo(NatNetwork.NAT2_PUBLIC + ":" + PHONE_SIP_PORT);

        Path calleeLog = dir.resolve("callee.log");
        Path callerLog = dir.resolve("caller.log");
        try (Sipp.Running bob = sipp.scenario("sipp/nat-uas.xml")
                     .inNamespace(network.client2(), NatNetwork.CLIENT2)
                     .localPort(PHONE_SIP_PORT)
                     .key("rtp_port", Integer.toString(PHONE_RTP_PORT))
                     .args("-m", "1", "-trace_logs", "-log_file", calleeLog.toString())
                     .timeout(SIPP_TIMEOUT)
                     .start();
             Sipp.Running alice = sipp.scenario("sipp/nat-call.xml")
                     .inNamespace(network.client1(), NatNetwork.CLIENT1)
                     .localPort(PHONE_SIP_PORT)
                     .remote(NatNetwork.SERVER, SIP_PORT)
                     .injection("caller.csv", "alice")
                     .key("domain", DOMAIN)
                     .key("rtp_port", Integer.toString(PHONE_RTP_PORT))
                     .args("-s", "bob", "-m", "1", "-trace_logs", "-log_file", callerLog.toString())
                     .timeout(SIPP_TIMEOUT)
                     .start()) {
            SdpMedia answer = awaitLogged(callerLog, "answer", alice);
            SdpMedia offer = awaitLogged(calleeLog, "offer", bob);
            // Both phones are told to send to the relay's public address, never to each other.
            assertThat(answer.address()).isEqualTo(NatNetwork.SERVER);
            assertThat(offer.address()).isEqualTo(NatNetwork.SERVER);
            assertThat(offer.callId()).isEqualTo(answer.callId());

            talkAndCheckTheRelay(answer, offer);

            hangUp(answer.callId());
            Sipp.Result placed = alice.await();
            Sipp.Result answered = bob.await();
            assertThat(placed.exitCode()).as(placed.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(placed.successfulCalls()).as(placed.describe()).isEqualTo(1);
            assertThat(answered.successfulCalls()).as(answered.describe()).isEqualTo(1);
        }

        assertThat(settled(() -> api.get("/api/calls"), JsonNode::isEmpty))
                .as("live calls after the BYE").isEmpty();
        assertThat(settled(() -> api.get("/api/relay/sessions"), JsonNode::isEmpty))
                .as("relay sessions after the BYE").isEmpty();
    }

    /**
     * Both phones talk at once (as phones do: a phone behind NAT cannot be reached before it has sent, since
     * the relay only knows its private address until then); each must hear the other through the relay, which
     * must have latched to the NATs' public addresses.
     */
    private void talkAndCheckTheRelay(SdpMedia answer, SdpMedia offer) throws InterruptedException {
        try (RtpPeer.Running aliceTalks = RtpPeer.Running.start(network, network.client1(), NatNetwork.CLIENT1,
                     PHONE_RTP_PORT, answer.address(), answer.port(), dir);
             RtpPeer.Running bobTalks = RtpPeer.Running.start(network, network.client2(), NatNetwork.CLIENT2,
                     PHONE_RTP_PORT, offer.address(), offer.port(), dir)) {
            assertThat(aliceTalks.awaitReceived(PACKETS, MEDIA_WAIT))
                    .as("alice hears bob: %s\n--- server log (tail) ---\n%s", aliceTalks.describe(), serverLogTail())
                    .isTrue();
            assertThat(bobTalks.awaitReceived(PACKETS, MEDIA_WAIT))
                    .as("bob hears alice: %s\n--- server log (tail) ---\n%s", bobTalks.describe(), serverLogTail())
                    .isTrue();

            JsonNode call = api.get("/api/calls/" + answer.callId());
            JsonNode stream = call.path("relay").path("streams").path(0);
            JsonNode fromAlice = stream.path("a").path("stats");
            JsonNode fromBob = stream.path("b").path("stats");
            assertThat(stream.path("a").path("rtpPort").asInt()).as("%s", call).isEqualTo(answer.port());
            assertThat(stream.path("b").path("rtpPort").asInt()).as("%s", call).isEqualTo(offer.port());
            assertThat(fromAlice.path("latchedAddress").asString()).as("%s", call)
                    .isEqualTo(NatNetwork.NAT1_PUBLIC + ":" + PHONE_RTP_PORT);
            assertThat(fromBob.path("latchedAddress").asString()).as("%s", call)
                    .isEqualTo(NatNetwork.NAT2_PUBLIC + ":" + PHONE_RTP_PORT);
            assertThat(fromAlice.path("packets").asLong()).as("%s", call).isGreaterThanOrEqualTo(PACKETS);
            assertThat(fromBob.path("packets").asLong()).as("%s", call).isGreaterThanOrEqualTo(PACKETS);

            RtpPeer.Summary heardByAlice = aliceTalks.stop();
            RtpPeer.Summary heardByBob = bobTalks.stop();
            // Symmetric RTP: each phone hears the other from the very relay port it sends to.
            assertThat(heardByAlice.sources()).containsExactly(NatNetwork.SERVER + ":" + answer.port());
            assertThat(heardByBob.sources()).containsExactly(NatNetwork.SERVER + ":" + offer.port());
        }
    }

    private static Sipp.Running register(Sipp sipp, String netns, String address, String credentials) {
        return sipp.scenario("sipp/register-auth.xml")
                .inNamespace(netns, address)
                .localPort(PHONE_SIP_PORT)
                .remote(NatNetwork.SERVER, SIP_PORT)
                .injection("user.csv", credentials)
                .key("domain", DOMAIN).key("expires", "3600")
                .args("-m", "1")
                .timeout(SIPP_TIMEOUT)
                .start();
    }

    /** The {@code host:port} the user's only binding was registered from. */
    private static String registeredSource(String user) {
        JsonNode registration = api.get("/api/registrations/" + user);
        assertThat(registration.path("contacts").size()).as("%s", registration).isEqualTo(1);
        return registration.path("contacts").path(0).path("source").asString();
    }

    /**
     * The caller is told to hang up by a HANGUP request with the call's Call-ID, sent to its SIP port from inside
     * its namespace (see nat-call.xml): a signal from the test, not SIP traffic through the server.
     */
    private static void hangUp(String callId) {
        String signal = "HANGUP sip:alice@" + NatNetwork.CLIENT1 + ":" + PHONE_SIP_PORT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + NatNetwork.CLIENT1 + ":9;branch=z9hG4bK-test-hangup\r\n"
                + "From: <sip:test@" + NatNetwork.CLIENT1 + ">;tag=test\r\n"
                + "To: <sip:alice@" + NatNetwork.CLIENT1 + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 HANGUP\r\n"
                + "Content-Length: 0\r\n\r\n";
        try {
            Path datagram = Files.writeString(dir.resolve("hangup.sip"), signal, StandardCharsets.US_ASCII);
            // cat reads the whole file at once, so it goes out as one datagram (bash's printf writes line by line)
            NatNetwork.Result sent = network.exec(network.client1(), "bash", "-c",
                    "cat \"$1\" > /dev/udp/" + NatNetwork.CLIENT1 + "/" + PHONE_SIP_PORT, "hangup", datagram.toString());
            assertThat(sent.succeeded()).as("sending HANGUP to the caller: %s", sent.output()).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HANGUP datagram", e);
        }
    }

    /** What SIPp logged of an SDP it received: {@code KIND ADDRESS PORT CALL-ID} (see the nat-*.xml scenarios). */
    private record SdpMedia(String address, int port, String callId) {
    }

    private static SdpMedia awaitLogged(Path log, String kind, Sipp.Running sipp) throws InterruptedException {
        long deadline = System.nanoTime() + SDP_WAIT.toNanos();
        while (true) {
            Optional<SdpMedia> logged = readLogged(log, kind);
            if (logged.isPresent()) {
                return logged.get();
            }
            if (!sipp.isAlive() || System.nanoTime() > deadline) {
                sipp.close();
                fail("no '" + kind + "' SDP logged by SIPp within " + SDP_WAIT.toSeconds() + " s: "
                        + sipp.await().describe() + "\n--- server log (tail) ---\n" + serverLogTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static Optional<SdpMedia> readLogged(Path log, String kind) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            return Files.readAllLines(log).stream()
                    .map(line -> line.strip().split(" "))
                    .filter(fields -> fields.length == 4 && fields[0].equals(kind))
                    .map(fields -> new SdpMedia(fields[1], Integer.parseInt(fields[2]), fields[3]))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Polls {@code read} until {@code settled} holds for its value or {@link #SETTLE} has passed; the last value. */
    private static JsonNode settled(Supplier<JsonNode> read, Predicate<JsonNode> settled)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode value = read.get();
        while (!settled.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            value = read.get();
        }
        return value;
    }

    /** The application on the test's class path (without the test classes), in the server's namespace. */
    private static List<String> serverCommand() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String testClasses = testClassesDirectory();
        String serverClassPath = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty() && !Path.of(entry).toAbsolutePath().toString().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", serverClassPath, SipServerApplication.class.getName(),
                "--sip.host=0.0.0.0",
                "--sip.port=" + SIP_PORT,
                "--sip.domain=" + DOMAIN,
                "--sip.advertised-address=" + NatNetwork.SERVER,
                // INVITEs from the NATs' public side skip the 407 round trip; REGISTER is always challenged.
                "--sip.trusted-peers=" + NatNetwork.SERVER + "/26",
                "--relay.host=0.0.0.0",
                "--relay.advertised-address=" + NatNetwork.SERVER,
                "--relay.port-min=" + RELAY_PORT_MIN,
                "--relay.port-max=" + RELAY_PORT_MAX,
                "--relay.mode=always",
                "--relay.io-threads=1",
                // The admin API stays inside the server's namespace, off the "Internet" side.
                "--server.address=127.0.0.1",
                "--server.port=" + HTTP_PORT,
                "--spring.datasource.url=jdbc:h2:mem:nat;DB_CLOSE_DELAY=-1",
                "--spring.security.user.name=" + ADMIN,
                "--spring.security.user.password=" + ADMIN_PASSWORD);
    }

    private static String testClassesDirectory() {
        try {
            return Path.of(NatEndToEndTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
    }

    private static String serverLogTail() {
        try {
            List<String> lines = Files.exists(serverLog) ? Files.readAllLines(serverLog) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + serverLog + ": " + e + ")";
        }
    }
}
