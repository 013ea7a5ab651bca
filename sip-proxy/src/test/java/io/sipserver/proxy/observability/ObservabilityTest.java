package io.sipserver.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.RequestGuard;
import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.RequestEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees: Prometheus metrics after real SIP traffic (TCP, so no retransmission can blur the
 * counts) and relayed RTP, health with its components, and the API description, each with or without credentials.
 */
@ServerTest
@Import(ObservabilityTest.RefuseMarkedRequests.class)
class ObservabilityTest {

    private static final String PASSWORD = "pw-" + System.nanoTime();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
    }

    /** A request guard of the test's own: refuses requests that carry {@code X-Refuse-Me}. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RefuseMarkedRequests {
        @Bean
        RequestGuard refuseMarkedRequests() {
            return new MarkedRequestGuard();
        }
    }

    static final class MarkedRequestGuard implements RequestGuard {
        private static final GuardVerdict REFUSED = GuardVerdict.refuse(503, 0, "Refused by test");

        @Override
        public GuardVerdict check(SIPRequest request, InetAddress source) {
            return request.getHeader("X-Refuse-Me") == null ? GuardVerdict.PASS : REFUSED;
        }
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    UserService users;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void prometheusCountsARegistrationAndACallWithItsRelayedMedia() throws Exception {
        Scrape before = scrape();
        TestUserAgent alice = registered("alice");
        TestUserAgent bob = registered("bob");
        DatagramSocket aliceRtp = rtpSocket();
        DatagramSocket bobRtp = rtpSocket();

        Request invite = alice.inviteWithAuth(bob.user(), LoopbackSdp.pcmu(aliceRtp.getLocalPort()));
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        bob.reply(incoming, 180, null);
        alice.awaitStatus(180);
        bob.reply(incoming, 200, LoopbackSdp.pcmu(bobRtp.getLocalPort()));
        Response ok = alice.awaitStatus(200);
        alice.ack(ok, invite);
        bob.awaitRequest(Request.ACK);
        int relayPortForAlice = audioPort(new String(ok.getRawContent(), StandardCharsets.US_ASCII));
        for (int seq = 1; seq <= 3; seq++) {
            byte[] rtp = rtp(seq);
            aliceRtp.send(new DatagramPacket(rtp, rtp.length, new InetSocketAddress(LOOPBACK, relayPortForAlice)));
            bobRtp.receive(new DatagramPacket(new byte[2048], 2048));
        }

        Scrape during = scrape();
        assertThat(during.value("sip_calls_active")).isEqualTo(1);
        assertThat(during.value("sip_relay_sessions")).isEqualTo(1);
        assertThat(during.value("sip_registrations_bindings")).isEqualTo(2);
        assertThat(during.value("sip_registrations_aors")).isEqualTo(2);
        assertThat(during.value("sip_transactions", "kind", "server")).isNotNegative();
        assertThat(during.value("sip_transactions", "kind", "client")).isNotNegative();
        assertThat(during.value("sip_relay_rtp_packets_total") - before.value("sip_relay_rtp_packets_total"))
                .isEqualTo(3);

        alice.send(alice.inDialog(Request.BYE, ok, invite, 100));
        bob.reply(bob.awaitRequest(Request.BYE), 200, null);
        alice.awaitStatus(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape().value("sip_relay_sessions") == 0);

        Scrape after = scrape();
        assertThat(after.value("sip_calls_active")).isZero();
        assertThat(after.value("sip_relay_rtp_packets_total") - before.value("sip_relay_rtp_packets_total"))
                .as("released sessions stay counted").isEqualTo(3);
        assertThat(after.value("sip_relay_rtp_bytes_total") - before.value("sip_relay_rtp_bytes_total"))
                .isEqualTo(3 * 172);
        assertThat(after.value("sip_admission_calls_total", "outcome", "admitted")
                - before.value("sip_admission_calls_total", "outcome", "admitted")).isEqualTo(1);

        // Two REGISTERs each (challenged, then with credentials); the INVITE twice (407, then with credentials).
        assertThat(after.delta(before, "sip_requests_received_total", "method", "REGISTER")).isEqualTo(4);
        assertThat(after.delta(before, "sip_requests_received_total", "method", "INVITE")).isEqualTo(2);
        assertThat(after.delta(before, "sip_requests_received_total", "method", "ACK")).as("for the 407 and the 200")
                .isEqualTo(2);
        assertThat(after.delta(before, "sip_requests_received_total", "method", "BYE")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "REGISTER", "status", "401")).isEqualTo(2);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "REGISTER", "status", "200")).isEqualTo(2);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "INVITE", "status", "407")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "INVITE", "status", "100")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "INVITE", "status", "180")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "INVITE", "status", "200")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "BYE", "status", "200")).isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_received_total", "method", "INVITE", "status", "180"))
                .isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_received_total", "method", "INVITE", "status", "200"))
                .isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_received_total", "method", "BYE", "status", "200"))
                .isEqualTo(1);
    }

    @Test
    void everyRequestGuardBeanIsCountedUnderItsName() throws Exception {
        TestUserAgent alice = agent("carol");
        Scrape before = scrape();
        Request options = alice.request(Request.OPTIONS, "sip:" + TestServer.DOMAIN, "sip:" + TestServer.DOMAIN,
                TestUserAgent.newCallId());
        options.addHeader(alice.headers().createHeader("X-Refuse-Me", "yes"));
        alice.send(options);

        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(503);
        Scrape after = scrape();
        assertThat(after.delta(before, "sip_guard_refusals_total", "guard", "MarkedRequestGuard", "status", "503"))
                .isEqualTo(1);
        assertThat(after.delta(before, "sip_responses_sent_total", "method", "OPTIONS", "status", "503"))
                .isEqualTo(1);
        assertThat(after.delta(before, "sip_requests_received_total", "method", "OPTIONS")).isEqualTo(1);
    }

    @Test
    void theFloodLimitersAddressTableIsExposed() throws Exception {
        String text = scrape().text();

        assertThat(text).contains("sip_flood_untracked_requests_total ").contains("sip_flood_tracked_addresses ");
    }

    @Test
    void prometheusNeedsTheAdminCredentials() throws Exception {
        assertThat(get("/actuator/prometheus", false).statusCode()).isEqualTo(401);
    }

    @Test
    void healthIsOpenButItsComponentsAreShownOnlyWithCredentials() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", false);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode status = json(anonymous);
        assertThat(status.path("status").asString()).isEqualTo("UP");
        assertThat(status.has("components")).as("components without credentials").isFalse();

        JsonNode health = json(get("/actuator/health", true));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        for (String component : List.of("sip", "relay", "db")) {
            assertThat(health.path("components").path(component).path("status").asString()).as(component)
                    .isEqualTo("UP");
        }
        assertThat(health.path("components").path("sip").path("details").path("listening").toString())
                .contains("udp 127.0.0.1:" + sipPort, "tcp 127.0.0.1:" + sipPort);
        assertThat(health.path("components").path("relay").path("details").path("freePortPairs").asInt())
                .isPositive();
    }

    @Test
    void theApiDescriptionIsOpenAndNamesTheAdminEndpointsWithBasicAuth() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs", false);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = json(docs);
        List<String> paths = new ArrayList<>();
        paths.addAll(api.path("paths").propertyNames());
        assertThat(paths).contains("/api/users", "/api/registrations", "/api/calls", "/api/relay/sessions",
                "/api/locations", "/api/reservations");
        assertThat(api.path("components").path("securitySchemes").path("adminBasic").path("scheme").asString())
                .isEqualTo("basic");
        assertThat(api.path("security").toString()).contains("adminBasic");

        HttpResponse<String> ui = get("/swagger-ui.html", false);
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    private TestUserAgent agent(String name) throws Exception {
        String user = name + Long.toHexString(System.nanoTime());
        users.create(user, PASSWORD);
        TestUserAgent ua = new TestUserAgent(user, PASSWORD, TestServer.DOMAIN, "127.0.0.1:" + sipPort, "tcp");
        resources.add(ua);
        return ua;
    }

    private TestUserAgent registered(String name) throws Exception {
        TestUserAgent ua = agent(name);
        assertThat(ua.register(600, "<" + ua.contact() + ">").getStatusCode()).isEqualTo(200);
        return ua;
    }

    private DatagramSocket rtpSocket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(10_000);
        resources.add(socket);
        return socket;
    }

    private static int audioPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertThat(m.find()).as("m=audio in %s", sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A G.711 RTP packet: 12-byte header, 160 bytes of payload. */
    private static byte[] rtp(int sequence) {
        byte[] packet = new byte[172];
        packet[0] = (byte) 0x80;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        packet[7] = (byte) (160 * sequence);
        packet[11] = 42;
        return packet;
    }

    private HttpResponse<String> get(String path, boolean withCredentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        if (withCredentials) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (TestServer.ADMIN + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", true);
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** One Prometheus text exposition. */
    private record Scrape(String text) {

        /** The value of the one series named {@code name} with these labels (among others); 0 when absent. */
        double value(String name, String... labels) {
            List<Double> values = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    String series = line.substring(0, line.lastIndexOf(' '));
                    boolean match = true;
                    for (int i = 0; i < labels.length; i += 2) {
                        match &= series.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
                    }
                    if (match) {
                        values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                    }
                }
            }
            assertThat(values).as("series %s %s", name, List.of(labels)).hasSizeLessThanOrEqualTo(1);
            return values.isEmpty() ? 0 : values.get(0);
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }
    }
}
