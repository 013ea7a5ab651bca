package io.sipserver.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.ServerProcess;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.web.RegistrationView;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server process in the middle of a registration storm and of reservation changes, then a start on
 * the same H2 file: every binding acknowledged with 200 and every reservation acknowledged with 201 is there, and
 * every reservation whose DELETE was acknowledged with 204 stays deleted.
 */
class CrashSafetyTest {

    private static final String PASSWORD = "pw-crash";
    private static final int REGISTER_THREADS = 8;
    private static final int USERS_PER_THREAD = 5;
    private static final int CONTACTS_PER_USER = 40;
    private static final int RESERVATION_THREADS = 3;
    /** The kill comes once this much has been acknowledged, while every client is still sending. */
    private static final int KILL_AFTER_BINDINGS = 300;
    private static final int KILL_AFTER_RESERVATIONS = 40;
    private static final int KILL_AFTER_DELETIONS = 10;
    private static final Map<String, String> PROPERTIES = Map.of("registrar.max-contacts", "64");

    @TempDir
    Path data;

    private final AtomicBoolean stop = new AtomicBoolean();
    /** "aor contact" of every binding whose REGISTER got a 200. */
    private final Set<String> acknowledgedBindings = ConcurrentHashMap.newKeySet();
    private final Set<String> createdReservations = ConcurrentHashMap.newKeySet();
    private final Set<String> deletedReservations = ConcurrentHashMap.newKeySet();
    /** Reservations whose DELETE was sent but not answered with 204: the kill may have come after its commit. */
    private final Set<String> deletionsInDoubt = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unansweredRequests = new AtomicInteger();

    @Test
    void acknowledgedBindingsAndReservationsSurviveKill9() throws Exception {
        ServerProcess.Layout layout = ServerProcess.Layout.fresh(data);
        List<Thread> clients = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(layout, PROPERTIES)) {
            AdminApi admin = first.admin();
            List<List<String>> usersByThread = new ArrayList<>();
            for (int t = 0; t < REGISTER_THREADS; t++) {
                List<String> users = new ArrayList<>();
                for (int u = 0; u < USERS_PER_THREAD; u++) {
                    users.add("storm" + t + "x" + u);
                    admin.createUser(users.get(u), PASSWORD);
                }
                usersByThread.add(users);
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String api = "http://127.0.0.1:" + first.httpPort();
            for (int l = 0; l < RESERVATION_THREADS; l++) {
                assertThat(send(http, post(api + "/api/locations", "{\"name\":\"site" + l + "\",\"cidrs\":[\"10." + l
                        + ".0.0/16\"],\"bandwidthKbps\":100000000}")).statusCode()).isEqualTo(201);
            }

            for (List<String> users : usersByThread) {
                clients.add(started(new Registrant(first.sipPort(), users)));
            }
            for (int t = 0; t < RESERVATION_THREADS; t++) {
                int thread = t;
                clients.add(started(() -> changeReservations(http, api, thread)));
            }
            awaitState(() -> acknowledgedBindings.size() >= KILL_AFTER_BINDINGS
                    && createdReservations.size() >= KILL_AFTER_RESERVATIONS
                    && deletedReservations.size() >= KILL_AFTER_DELETIONS, first);
            first.kill();
        } finally {
            stop.set(true);
            for (Thread client : clients) {
                client.join(20_000);
            }
        }
        System.out.printf("killed after %d bindings, %d reservations created, %d deleted acknowledged; "
                + "%d requests unanswered%n", acknowledgedBindings.size(), createdReservations.size(),
                deletedReservations.size(), unansweredRequests.get());

        try (ServerProcess second = ServerProcess.start(layout, PROPERTIES)) {
            AdminApi admin = second.admin();
            Set<String> bindings = new HashSet<>();
            for (RegistrationView registration : admin.get("/api/registrations", RegistrationView[].class)) {
                registration.contacts().forEach(c -> bindings.add(registration.aor() + " " + c.uri()));
            }
            Set<String> lostBindings = new HashSet<>(acknowledgedBindings);
            lostBindings.removeAll(bindings);
            assertThat(lostBindings).as("bindings acknowledged with 200 but gone after kill -9").isEmpty();

            Set<String> reservations = new HashSet<>();
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(admin.get("/api/reservations", String.class));
            while (id.find()) {
                reservations.add(id.group(1));
            }
            Set<String> kept = new HashSet<>(createdReservations);
            kept.removeAll(deletedReservations);
            kept.removeAll(deletionsInDoubt);
            Set<String> lost = new HashSet<>(kept);
            lost.removeAll(reservations);
            assertThat(lost).as("reservations acknowledged with 201 but gone after kill -9").isEmpty();
            assertThat(reservations).as("reservations whose DELETE was acknowledged with 204")
                    .doesNotContainAnyElementsOf(deletedReservations);
        }
    }

    private static Thread started(Runnable client) {
        Thread thread = new Thread(client);
        thread.start();
        return thread;
    }

    private static void awaitState(BooleanSupplier condition, ServerProcess server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !server.process().isAlive()) {
                throw new AssertionError("storm did not reach the kill point:\n" + server.logTail());
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ reservations

    /** Creates reservations in windows of their own; deletes every third one it created. */
    private void changeReservations(HttpClient http, String api, int thread) {
        Instant base = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> mine = new ArrayList<>();
        for (int n = 0; !stop.get(); n++) {
            Instant start = base.plus((long) thread * 100_000 + n, ChronoUnit.MINUTES);
            try {
                HttpResponse<String> created = send(http, post(api + "/api/reservations", "{\"location\":\"site"
                        + thread + "\",\"bandwidthKbps\":1,\"owner\":\"owner" + n + "\",\"start\":\"" + start
                        + "\",\"end\":\"" + start.plus(1, ChronoUnit.MINUTES) + "\"}"));
                if (created.statusCode() == 201) {
                    String location = created.headers().firstValue("Location").orElseThrow();
                    String id = location.substring(location.lastIndexOf('/') + 1);
                    createdReservations.add(id);
                    mine.add(id);
                }
                if (n % 3 == 2 && !mine.isEmpty()) {
                    String id = mine.remove(ThreadLocalRandom.current().nextInt(mine.size()));
                    deletionsInDoubt.add(id);
                    HttpRequest delete = authorized(HttpRequest.newBuilder(URI.create(api + "/api/reservations/"
                            + id))).DELETE().build();
                    if (send(http, delete).statusCode() == 204) {
                        deletedReservations.add(id);
                        deletionsInDoubt.remove(id);
                    }
                }
            } catch (IOException e) {
                unansweredRequests.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static HttpRequest post(String uri, String json) {
        return authorized(HttpRequest.newBuilder(URI.create(uri)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String credentials = TestServer.ADMIN + ":" + TestServer.ADMIN_PASSWORD;
        return request.timeout(Duration.ofSeconds(10)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ registrations

    /**
     * REGISTERs over plain UDP, one at a time, with digest authentication: each adds a new contact to one of its
     * users, round robin. It knows exactly which binding got a 200, which a phone's stack would not tell.
     */
    private final class Registrant implements Runnable {

        private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
        private static final Pattern REALM = Pattern.compile("realm=\"([^\"]+)\"");

        private final InetSocketAddress server;
        private final List<String> users;
        private final byte[] buffer = new byte[65535];
        private DatagramSocket socket;
        private long cseq;

        Registrant(int sipPort, List<String> users) {
            this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
            this.users = users;
        }

        @Override
        public void run() {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket = s;
                socket.setSoTimeout(2000);
                for (int contact = 0; contact < CONTACTS_PER_USER && !stop.get(); contact++) {
                    for (String user : users) {
                        if (stop.get()) {
                            return;
                        }
                        String uri = "sip:" + user + "-" + contact + "@127.0.0.1:" + socket.getLocalPort();
                        if (register(user, uri)) {
                            acknowledgedBindings.add("sip:" + user + "@" + TestServer.DOMAIN + " " + uri);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** True when the REGISTER got a 200. */
        private boolean register(String user, String contact) throws IOException {
            String callId = TestUserAgent.newCallId();
            String challenge = exchange(registerRequest(user, contact, callId, ++cseq, null), callId, cseq);
            if (challenge == null || !challenge.startsWith("SIP/2.0 401")) {
                return false;
            }
            String realm = first(REALM, challenge);
            String nonce = first(NONCE, challenge);
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
            String response;
            try {
                response = TestUserAgent.digestResponse("MD5", user, realm, PASSWORD, "REGISTER",
                        "sip:" + TestServer.DOMAIN, nonce, "00000001", cnonce);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            String authorization = "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                    + "\", uri=\"sip:" + TestServer.DOMAIN + "\", response=\"" + response
                    + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"";
            String answer = exchange(registerRequest(user, contact, callId, ++cseq, authorization), callId, cseq);
            return answer != null && answer.startsWith("SIP/2.0 200");
        }

        private String registerRequest(String user, String contact, String callId, long seq, String authorization) {
            String aor = "sip:" + user + "@" + TestServer.DOMAIN;
            return "REGISTER sip:" + TestServer.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <" + aor + ">;tag=" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\r\n"
                    + "To: <" + aor + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + seq + " REGISTER\r\n"
                    + "Contact: <" + contact + ">\r\n"
                    + "Expires: 3600\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Length: 0\r\n\r\n";
        }

        /** Sends the request; returns its final response, or null when none comes within the timeout. */
        private String exchange(String request, String callId, long seq) throws IOException {
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    unansweredRequests.incrementAndGet();
                    return null;
                }
                String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                boolean ours = response.contains("Call-ID: " + callId + "\r\n")
                        && Arrays.stream(response.split("\r\n")).anyMatch(line -> line.equals("CSeq: " + seq + " REGISTER"));
                if (ours && !response.startsWith("SIP/2.0 1")) {
                    return response;
                }
            }
        }

        private static String first(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no " + pattern + " in " + text);
            }
            return m.group(1);
        }
    }
}
