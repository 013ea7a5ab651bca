package io.sipserver.proxy.nat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two NATed clients and a public server in Linux network namespaces, closed off from the machine's own
 * network:
 *
 * <pre>
 *   c1 198.51.100.10/25 --- 198.51.100.1/25 nat1 203.0.113.2/26 ---+
 *                                                                   +--- br0 203.0.113.1/26 srv
 *   c2 198.51.100.138/25 -- 198.51.100.129/25 nat2 203.0.113.3/26 --+
 * </pre>
 *
 * Each NAT masquerades what leaves its public side, as a home router does. The server owns one public address on
 * a bridge (its "Internet"), so whatever it sends to either NAT comes from that address, which is what the NATs'
 * connection tracking expects back; it has no route to the private ranges. Every link joins two namespaces of
 * this network, none the root namespace, so no test packet can reach the machine's network. Only documentation
 * ranges are used (RFC 5737), and not 192.0.2.0/24, which the machine itself may use.
 *
 * <p>Namespaces are named {@code sipnat-PID-ROLE}; creating a network first removes those left by a test JVM
 * that no longer runs. Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2, iptables and curl: without
 * them the test fails, saying what is missing.
 */
final class NatNetwork implements AutoCloseable {

    static final String SERVER = "203.0.113.1";
    static final String NAT1_PUBLIC = "203.0.113.2";
    static final String NAT2_PUBLIC = "203.0.113.3";
    static final String CLIENT1 = "198.51.100.10";
    static final String CLIENT2 = "198.51.100.138";

    private static final String NAT1_PRIVATE = "198.51.100.1";
    private static final String NAT2_PRIVATE = "198.51.100.129";
    private static final String PUBLIC_PREFIX = "/26";
    private static final String PRIVATE_PREFIX = "/25";

    private static final String PREFIX = "sipnat-";
    private static final Pattern OWN_NAMESPACE = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\w+");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name = PREFIX + ProcessHandle.current().pid();
    private final List<String> created = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    private NatNetwork() {
    }

    /** Builds the network; fails the test with the reason when this machine cannot. */
    static NatNetwork create() {
        requireTools();
        requireUnusedRanges();
        removeStale();
        NatNetwork network = new NatNetwork();
        try {
            network.build();
        } catch (RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
        return network;
    }

    String server() {
        return namespace("srv");
    }

    String client1() {
        return namespace("c1");
    }

    String client2() {
        return namespace("c2");
    }

    /** Runs a command in a namespace to its end (at most 10 s); returns its exit code and output. */
    Result exec(String netns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(List.of(command));
        return run(full);
    }

    /**
     * Starts a long-running command in a namespace, its output going to {@code output}; {@link #close} kills it
     * if it is still running.
     */
    Process start(String netns, List<String> command, Path output) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
        }
    }

    /** Kills what was started here and in the namespaces, then deletes the namespaces. */
    @Override
    public void close() {
        started.forEach(NatNetwork::stop);
        for (String netns : created) {
            removeNamespace(netns);
        }
        created.clear();
    }

    /** The outcome of a command that ran to its end. */
    record Result(int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private void build() {
        for (String role : List.of("srv", "nat1", "nat2", "c1", "c2")) {
            String netns = namespace(role);
            Result added = run(List.of("ip", "netns", "add", netns));
            if (!added.succeeded()) {
                fail("cannot create network namespace " + netns + " (this test needs root or CAP_NET_ADMIN and "
                        + "CAP_SYS_ADMIN; CI runs it as root): " + added.output());
            }
            created.add(netns);
            ip(netns, "link", "set", "lo", "up");
        }
        ip(server(), "link", "add", "br0", "type", "bridge");
        ip(server(), "addr", "add", SERVER + PUBLIC_PREFIX, "dev", "br0");
        ip(server(), "link", "set", "br0", "up");
        nat("nat1", "s1", NAT1_PUBLIC, NAT1_PRIVATE, client1(), CLIENT1);
        nat("nat2", "s2", NAT2_PUBLIC, NAT2_PRIVATE, client2(), CLIENT2);
    }

    /**
     * A NAT namespace: its public side on the server's bridge (port {@code bridgePort}), its private side
     * {@code gateway} the default route of {@code client}, masquerading and forwarding between them.
     */
    private void nat(String role, String bridgePort, String publicAddress, String gateway, String client,
            String clientAddress) {
        String netns = namespace(role);
        ip(server(), "link", "add", bridgePort, "type", "veth", "peer", "name", "wan", "netns", netns);
        ip(server(), "link", "set", bridgePort, "master", "br0", "up");
        ip(netns, "addr", "add", publicAddress + PUBLIC_PREFIX, "dev", "wan");
        ip(netns, "link", "set", "wan", "up");
        ip(netns, "route", "add", "default", "via", SERVER);
        ip(netns, "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", client);
        ip(netns, "addr", "add", gateway + PRIVATE_PREFIX, "dev", "lan");
        ip(netns, "link", "set", "lan", "up");
        ip(client, "addr", "add", clientAddress + PRIVATE_PREFIX, "dev", "eth0");
        ip(client, "link", "set", "eth0", "up");
        ip(client, "route", "add", "default", "via", gateway);
        // Forwarding on in this namespace only: /proc/sys/net is per network namespace.
        check(exec(netns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"), "enable forwarding in " + netns);
        Result masquerade = exec(netns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        if (!masquerade.succeeded()) {
            fail("cannot set up NAT in " + netns + " (iptables needs the kernel's netfilter NAT support): "
                    + masquerade.output());
        }
    }

    private void ip(String netns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", netns));
        command.addAll(List.of(args));
        check(run(command), String.join(" ", command));
    }

    private String namespace(String role) {
        return name + "-" + role;
    }

    private static void check(Result result, String what) {
        if (!result.succeeded()) {
            fail("'" + what + "' failed (exit code " + result.exitCode() + "): " + result.output());
        }
    }

    private static void requireTools() {
        for (String tool : List.of("ip", "iptables", "curl")) {
            try {
                run(List.of(tool, "-V"));
            } catch (UncheckedIOException e) {
                fail(tool + " not found: the NAT test needs iproute2, iptables and curl (.ci/run installs them)");
            }
        }
    }

    /** The machine must not already use the test's ranges, or test packets could be confused with its own. */
    private static void requireUnusedRanges() {
        for (String what : List.of("addr", "route")) {
            String output = run(List.of("ip", "-4", what)).output();
            if (output.contains("198.51.100.") || output.contains("203.0.113.")) {
                fail("this machine already uses 198.51.100.0/24 or 203.0.113.0/24, which the NAT test needs to "
                        + "itself; 'ip -4 " + what + "' shows:\n" + output);
            }
        }
    }

    /** Deletes the namespaces of earlier runs whose JVM has gone (killed before it could clean up). */
    private static void removeStale() {
        for (String line : run(List.of("ip", "netns", "list")).output().lines().toList()) {
            Matcher m = OWN_NAMESPACE.matcher(line);
            if (m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                removeNamespace(m.group());
            }
        }
    }

    /** Kills the processes still in the namespace (by their pids), then deletes it. */
    private static void removeNamespace(String netns) {
        for (String pid : run(List.of("ip", "netns", "pids", netns)).output().lines().toList()) {
            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(NatNetwork::stop);
        }
        run(List.of("ip", "netns", "del", netns));
    }

    private static void stop(Process process) {
        stop(process.toHandle());
    }

    private static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not gone within the grace period: nothing more can be done from here.
        }
    }

    /** Runs a command to its end, at most {@link #COMMAND_TIMEOUT}; its output goes through a file, never blocking it. */
    private static Result run(List<String> command) {
        Path output;
        Process process;
        try {
            output = Files.createTempFile("sipnat-command-", ".out");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                return new Result(-1, "timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: "
                        + String.join(" ", command));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            return new Result(-1, "interrupted: " + String.join(" ", command));
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
