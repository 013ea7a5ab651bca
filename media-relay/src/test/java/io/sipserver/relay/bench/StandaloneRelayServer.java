package io.sipserver.relay.bench;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sipserver.config.RelayProperties;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;
import io.sipserver.relay.netty.NettyMediaRelay;
import io.sipserver.relay.web.RelaySessionController;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * {@link NettyMediaRelay} and its REST controller without the SIP application, for benchmarking the relay with
 * {@code bench/rtp-driver.sh} before the application exists ({@code bench/rtp-driver-embedded.sh} starts it).
 * HTTP requests (HTTP Basic auth) are handed to the real controller through MockMvc, so the driver meets the
 * same JSON as in the application.
 *
 * <p>Configured from the benchmark harness's environment: {@code RTP_PORT_MIN}, {@code RTP_PORT_MAX},
 * {@code RELAY_URL} (its port), {@code RELAY_USER}, {@code RELAY_PASSWORD}, {@code RELAY_MAX_S} (stops after that
 * many seconds), {@code RELAY_IO_THREADS} (default 0, as {@code relay.io-threads}).
 */
public final class StandaloneRelayServer {

    public static void main(String[] args) throws Exception {
        int httpPort = URI.create(env("RELAY_URL", "http://127.0.0.1:8080")).getPort();
        long maxSeconds = Long.parseLong(env("RELAY_MAX_S", "600"));
        RelayProperties properties = new RelayProperties("127.0.0.1", "127.0.0.1",
                Integer.parseInt(env("RTP_PORT_MIN", "30000")), Integer.parseInt(env("RTP_PORT_MAX", "31935")),
                RelayProperties.Mode.ALWAYS, Duration.ofSeconds(60), Integer.parseInt(env("RELAY_IO_THREADS", "0")));
        try (NettyMediaRelay relay = new NettyMediaRelay(properties, "127.0.0.1", Clock.systemUTC())) {
            relay.warmUp(NettyMediaRelay.WARM_UP_PACKETS);
            MockMvc mvc = MockMvcBuilders.standaloneSetup(new RelaySessionController(relay)).build();
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 64);
            http.createContext("/api/relay/sessions", exchange -> serve(mvc, exchange)).setAuthenticator(
                    new BasicAuthenticator("relay") {
                        @Override
                        public boolean checkCredentials(String user, String password) {
                            return user.equals(env("RELAY_USER", "admin"))
                                    && password.equals(env("RELAY_PASSWORD", "admin"));
                        }
                    });
            http.setExecutor(Executors.newSingleThreadExecutor());
            http.start();
            reportAllocationsAtExit(relay);
            System.out.println("READY http=" + httpPort);
            Thread.sleep(maxSeconds * 1000);
            http.stop(0);
        }
    }

    private static void serve(MockMvc mvc, HttpExchange exchange) throws IOException {
        try (exchange) {
            MockHttpServletResponse response = mvc.perform(MockMvcRequestBuilders
                    .request(HttpMethod.valueOf(exchange.getRequestMethod()), exchange.getRequestURI())
                    .contentType(exchange.getRequestHeaders().getFirst("Content-Type") == null ? "application/json"
                            : exchange.getRequestHeaders().getFirst("Content-Type"))
                    .content(exchange.getRequestBody().readAllBytes()))
                    .andReturn().getResponse();
            byte[] body = response.getContentAsByteArray();
            for (String name : response.getHeaderNames()) {
                exchange.getResponseHeaders().put(name, response.getHeaders(name));
            }
            exchange.sendResponseHeaders(response.getStatus(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    /**
     * At exit, prints to stderr the bytes the relay's event-loop threads allocated per packet relayed: the garbage
     * rate of the packet path, Netty's own read and write path included.
     */
    private static void reportAllocationsAtExit(MediaRelay relay) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long allocated = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("media-relay-") && !thread.getName().startsWith("media-relay-timeouts")) {
                    allocated += threads.getThreadAllocatedBytes(thread.getId());
                }
            }
            long packets = 0;
            for (RelaySession session : relay.sessions()) {
                for (RelayStream stream : session.streams()) {
                    packets += stream.stats(Side.A).packets() + stream.stats(Side.B).packets();
                }
            }
            System.err.printf("RELAY_ALLOC sessions=%d packets=%d loop_allocated_bytes=%d bytes_per_packet=%.1f%n",
                    relay.sessions().size(), packets, allocated, packets == 0 ? 0.0 : (double) allocated / packets);
        }));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
