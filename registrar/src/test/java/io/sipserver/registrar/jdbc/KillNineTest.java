package io.sipserver.registrar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A REGISTER answered 200 OK survives {@code kill -9} of the server in the middle of a write burst. */
class KillNineTest {

    private static final int ACKS_BEFORE_KILL = 3_000;
    private static final long WATCHDOG_SECONDS = 90;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBindingIsInTheDatabaseAfterKill9() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillNineChild.class.getName(), dir.toString())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        // Process.destroyForcibly() would also close our end of the pipe; the handle only sends SIGKILL.
        watchdog.schedule(() -> child.toHandle().destroyForcibly(), WATCHDOG_SECONDS, TimeUnit.SECONDS);
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                }
                if (acknowledged.size() == ACKS_BEFORE_KILL) {
                    child.toHandle().destroyForcibly(); // acknowledgements already in the pipe are still read
                }
            }
        } finally {
            child.destroyForcibly();
            watchdog.shutdownNow();
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not exited").isEqualTo(137);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        // Opening the store folds the journal into sip_binding, as a restarted server does.
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            Set<String> stored = new HashSet<>(new JdbcTemplate(db).queryForList("SELECT aor FROM sip_binding", String.class));
            assertThat(stored).containsAll(acknowledged);
            System.out.printf("kill -9 after %d acknowledged REGISTERs: %d rows stored, none lost%n",
                    acknowledged.size(), stored.size());
        }
    }
}
