package io.sipserver.proxy.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the SIPp binary (Debian package sip-tester) on loopback, with scenarios taken from the test
 * classpath.
 *
 * <pre>{@code
 * Sipp.Result result = Sipp.locate().scenario("sipp/register-auth.xml")
 *         .remote("127.0.0.1", sipPort)
 *         .injection("sipp/users.csv")
 *         .key("domain", "127.0.0.1:" + sipPort)
 *         .args("-m", "100", "-r", "200")
 *         .run();
 * assertThat(result.failedCalls()).as(result.describe()).isZero();
 * }</pre>
 *
 * Each run gets its own temporary directory holding the scenario, the injection files, SIPp's
 * statistics ({@code -trace_stat}), its error log ({@code -trace_err}) and its console output. SIPp is
 * told to stop after the run's timeout ({@code -timeout}) and is killed if it is still alive a little
 * later, so a test never hangs on it.
 */
public final class Sipp {

    /** SIPp's exit code when every call succeeded. */
    public static final int EXIT_ALL_CALLS_SUCCEEDED = 0;
    /** SIPp's exit code when it ends without having processed any call (e.g. {@code -v}). */
    public static final int EXIT_NO_CALL_PROCESSED = 99;

    private static final String MISSING = "sipp not found: install Debian's sip-tester";
    private static final Path DEBIAN_LOCATION = Path.of("/usr/bin/sipp");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Time SIPp gets beyond its own -timeout to write its statistics and exit. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    /** How long a run that waits for calls may take to bind its SIP port. */
    private static final Duration BIND_DEADLINE = Duration.ofSeconds(10);
    private static final Duration BIND_POLL = Duration.ofMillis(20);
    private static final int OUTPUT_TAIL_LINES = 30;
    private static final int ERROR_LOG_MAX_CHARS = 8_000;
    private static final String STATS_FILE = "stats.csv";
    private static final String ERRORS_FILE = "errors.log";
    private static final String OUTPUT_FILE = "sipp.out";

    private final Path binary;

    private Sipp(Path binary) {
        this.binary = binary;
    }

    /** Finds {@code sipp} on the PATH or at /usr/bin/sipp; fails the calling test when there is none. */
    public static Sipp locate() {
        Optional<Path> binary = find(System.getenv("PATH"));
        if (binary.isEmpty()) {
            fail(MISSING);
        }
        return new Sipp(binary.get());
    }

    static Optional<Path> find(String pathVariable) {
        List<Path> candidates = new ArrayList<>();
        if (pathVariable != null) {
            for (String directory : pathVariable.split(File.pathSeparator)) {
                if (!directory.isEmpty()) {
                    candidates.add(Path.of(directory, "sipp"));
                }
            }
        }
        candidates.add(DEBIAN_LOCATION);
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Runs SIPp with the given arguments only (e.g. {@code -v}), in a new temporary directory. */
    public Result exec(Duration timeout, String... args) {
        Path workDir = createWorkDir("sipp-exec-");
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(Arrays.asList(args));
        return start(command, workDir, timeout).await();
    }

    /** Prepares a run of the scenario at this classpath resource (e.g. {@code sipp/uas.xml}). */
    public Run scenario(String resource) {
        Path workDir = createWorkDir("sipp-" + fileName(resource).replace(".xml", "") + "-");
        return new Run(copyResource(resource, workDir));
    }

    /** One scenario run being set up: SIPp options are added in the order they are given. */
    public final class Run {

        private final Path scenario;
        private final Path workDir;
        private final List<String> options = new ArrayList<>();
        private String remote;
        private int localPort;
        private String namespace;
        private String localIp = "127.0.0.1";
        private Duration timeout = DEFAULT_TIMEOUT;

        private Run(Path scenario) {
            this.scenario = scenario;
            this.workDir = scenario.getParent();
        }

        /** The server SIPp sends to (a UAS scenario names none). */
        public Run remote(String host, int port) {
            this.remote = host + ":" + port;
            return this;
        }

        /** SIPp's own SIP port; a free one is picked when none is set. */
        public Run localPort(int port) {
            this.localPort = port;
            return this;
        }

        /**
         * Runs SIPp inside this network namespace (through {@code ip netns exec}, which needs root), bound to
         * {@code localIp}, an address of that namespace, instead of loopback.
         */
        public Run inNamespace(String netns, String ip) {
            this.namespace = netns;
            this.localIp = ip;
            return this;
        }

        /** Copies an injection file from the classpath and passes it with {@code -inf}. */
        public Run injection(String resource) {
            return args("-inf", copyResource(resource, workDir).toString());
        }

        /** Writes an injection file read in sequence, one call per row ({@code field0;field1;...}). */
        public Run injection(String fileName, String... rows) {
            Path file = workDir.resolve(fileName);
            List<String> lines = new ArrayList<>();
            lines.add("SEQUENTIAL");
            lines.addAll(Arrays.asList(rows));
            try {
                Files.write(file, lines, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write injection file " + file, e);
            }
            return args("-inf", file.toString());
        }

        /** Sets the scenario keyword {@code [name]}. */
        public Run key(String name, String value) {
            return args("-key", name, value);
        }

        /** Further SIPp options, e.g. {@code "-m", "100", "-r", "50"}. */
        public Run args(String... more) {
            options.addAll(Arrays.asList(more));
            return this;
        }

        /** How long SIPp may run before it stops by itself (and is killed shortly after). */
        public Run timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /** Runs SIPp to its end. */
        public Result run() {
            return start().await();
        }

        /**
         * Starts SIPp in the background, e.g. a UAS that answers the calls of another run. A run
         * without {@link #remote} waits for calls: this returns once SIPp has bound its SIP port.
         */
        public Running start() {
            int port = localPort != 0 ? localPort : FreePorts.udpAndTcp();
            List<String> command = new ArrayList<>();
            if (namespace != null) {
                command.addAll(List.of("ip", "netns", "exec", namespace));
            }
            command.add(binary.toString());
            if (remote != null) {
                command.add(remote);
            }
            command.addAll(List.of("-sf", scenario.toString(),
                    "-i", localIp,
                    "-p", Integer.toString(port),
                    "-nostdin",
                    "-trace_stat", "-stf", workDir.resolve(STATS_FILE).toString(),
                    "-trace_err", "-error_file", workDir.resolve(ERRORS_FILE).toString(),
                    "-timeout", Math.max(1, timeout.toSeconds()) + "s", "-timeout_error"));
            command.addAll(options);
            Running running = Sipp.start(command, workDir, timeout);
            if (remote == null) {
                // Inside a namespace the port is not visible from here: look at SIPp's own socket table instead.
                running.awaitBound(namespace == null ? () -> !FreePorts.isUdpFree(port)
                        : () -> running.holdsUdpPort(port));
            }
            return running;
        }
    }

    /** A SIPp process started in the background; closing it kills SIPp if it is still running. */
    public static final class Running implements AutoCloseable {

        private final Process process;
        private final Path workDir;
        private final Duration timeout;

        private Running(Process process, Path workDir, Duration timeout) {
            this.process = process;
            this.workDir = workDir;
            this.timeout = timeout;
        }

        /** Waits for SIPp to end (at most its timeout plus a grace period, then kills it). */
        public Result await() {
            boolean finished;
            try {
                finished = process.waitFor(timeout.plus(KILL_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                killAndWait();
            }
            return Result.collect(finished ? process.exitValue() : -1, !finished, workDir);
        }

        /** Whether SIPp is still running (a UAS that failed to bind its port is not). */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** Polls until SIPp holds its UDP port, or has died, or {@link #BIND_DEADLINE} has passed. */
        private void awaitBound(BooleanSupplier bound) {
            long deadline = System.nanoTime() + BIND_DEADLINE.toNanos();
            while (process.isAlive() && !bound.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(BIND_POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /**
         * Whether SIPp (not yet {@code ip netns exec}, which it replaces) holds this UDP port in its network
         * namespace, from {@code /proc/PID/net/udp} (hex port after the local address).
         */
        private boolean holdsUdpPort(int port) {
            Path proc = Path.of("/proc", Long.toString(process.pid()));
            String suffix = String.format(":%04X", port);
            try {
                return Files.readString(proc.resolve("comm")).strip().equals("sipp")
                        && Files.readAllLines(proc.resolve("net/udp")).stream().skip(1)
                                .map(line -> line.strip().split("\\s+"))
                                .anyMatch(fields -> fields.length > 1 && fields[1].endsWith(suffix));
            } catch (IOException e) {
                return false;   // SIPp has just exited: the caller sees it is no longer alive
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                killAndWait();
            }
        }

        private void killAndWait() {
            process.destroyForcibly();
            try {
                process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a SIPp run left behind.
     *
     * @param exitCode SIPp's exit code: 0 all calls succeeded, 1 some failed, 99 no call processed,
     *     255 fatal error; -1 when it had to be killed
     * @param timedOut whether SIPp outlived its timeout and was killed
     * @param stats the totals of its stat file (empty when it wrote none)
     * @param errorLog SIPp's error log (unexpected messages, failed checks), shortened
     * @param outputTail the last lines SIPp printed
     * @param workDir the directory holding the scenario and all of SIPp's files
     */
    public record Result(int exitCode, boolean timedOut, SippStats stats, String errorLog, String outputTail,
                         Path workDir) {

        private static Result collect(int exitCode, boolean timedOut, Path workDir) {
            SippStats stats = SippStats.readIfWritten(workDir.resolve(STATS_FILE));
            String errors = readIfPresent(workDir.resolve(ERRORS_FILE));
            if (errors.length() > ERROR_LOG_MAX_CHARS) {
                errors = errors.substring(0, ERROR_LOG_MAX_CHARS) + "\n[... see " + workDir.resolve(ERRORS_FILE) + "]";
            }
            List<String> output = readIfPresent(workDir.resolve(OUTPUT_FILE)).lines().toList();
            String tail = String.join("\n", output.subList(Math.max(0, output.size() - OUTPUT_TAIL_LINES), output.size()));
            return new Result(exitCode, timedOut, stats, errors, tail, workDir);
        }

        public long successfulCalls() {
            return stats.successfulCalls();
        }

        public long failedCalls() {
            return stats.failedCalls();
        }

        /** Everything needed to understand a failed run, for assertion messages. */
        public String describe() {
            return "sipp exit code " + exitCode + (timedOut ? " (killed after its timeout)" : "")
                    + ", successful calls " + successfulCalls() + ", failed calls " + failedCalls()
                    + ", files in " + workDir
                    + "\n--- error log ---\n" + errorLog
                    + "\n--- output (tail) ---\n" + outputTail;
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    private static Running start(List<String> command, Path workDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(OUTPUT_FILE).toFile());
        try {
            return new Running(builder.start(), workDir, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    private static Path createWorkDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for SIPp", e);
        }
    }

    private static Path copyResource(String resource, Path directory) {
        Path target = directory.resolve(fileName(resource));
        try (InputStream in = Sipp.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + resource);
            }
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + directory, e);
        }
        return target;
    }

    private static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private static String readIfPresent(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
