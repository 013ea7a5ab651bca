package io.sipserver.proxy.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The server as an operator runs it: a JVM of its own (main class {@code SipServerApplication} on the test's class
 * path without the test classes), on free loopback ports, with an H2 file in a directory of the test's, so that it
 * can be killed with SIGKILL or stopped with SIGTERM and started again on the same data.
 */
public final class ServerProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "io.sipserver.proxy.SipServerApplication";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int sipPort;
    private final int httpPort;

    private ServerProcess(Process process, Path log, int sipPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
    }

    /** Ports and database of one server; {@link #start} may be called again with the same layout after a stop. */
    public record Layout(Path dataDir, int sipPort, int httpPort, int relayBase) {

        public static Layout fresh(Path dataDir) {
            int sip = FreePorts.udpAndTcp();
            int http;
            do {
                http = FreePorts.udpAndTcp();
            } while (http == sip);
            // Below the kernel's ephemeral range, as in TestServer.
            return new Layout(dataDir, sip, http, 20000 + 2 * ThreadLocalRandom.current().nextInt(5000));
        }
    }

    /** Starts the server and waits until its health endpoint answers UP. */
    public static ServerProcess start(Layout layout, Map<String, String> extraProperties) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", applicationClassPath(), MAIN_CLASS,
                "--sip.host=127.0.0.1", "--sip.port=" + layout.sipPort(), "--sip.domain=" + TestServer.DOMAIN,
                "--sip.advertised-address=127.0.0.1",
                "--server.port=" + layout.httpPort(), "--server.address=127.0.0.1",
                "--relay.host=127.0.0.1", "--relay.port-min=" + layout.relayBase(),
                "--relay.port-max=" + (layout.relayBase() + 199),
                "--spring.datasource.url=jdbc:h2:file:" + layout.dataDir().resolve("db").toAbsolutePath()
                        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                "--spring.security.user.name=" + TestServer.ADMIN,
                "--spring.security.user.password=" + TestServer.ADMIN_PASSWORD));
        extraProperties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Files.createDirectories(layout.dataDir());
        Path log = Files.createTempFile(layout.dataDir(), "server-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, log, layout.sipPort(), layout.httpPort());
        long started = System.nanoTime();
        server.awaitHealthy();
        System.out.printf("server process %d healthy after %d ms%n", process.pid(),
                (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    /**
     * The test's class path minus the test classes: under Surefire, {@code java.class.path} is the real test class
     * path. The test classes are left out because component scanning would pick up their test configurations.
     */
    private static String applicationClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator)
                        && !entry.endsWith("-tests.jar") && !entry.contains("surefire"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " during start:\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("server not healthy within " + START_TIMEOUT + ":\n" + logTail());
    }

    public int sipPort() {
        return sipPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String sipAddress() {
        return "127.0.0.1:" + sipPort;
    }

    public AdminApi admin() {
        return new AdminApi(httpPort, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
    }

    public Process process() {
        return process;
    }

    /** SIGKILL (Process.destroyForcibly on Linux), and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server still alive 30 s after SIGKILL");
        }
    }

    /** SIGTERM (Process.destroy on Linux): the server shuts down gracefully. */
    public void terminate() {
        process.destroy();
    }

    /** The last lines of the server's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The whole output of the server so far. */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
