package io.sipserver.registrar.jdbc;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many bindings per second the group commit makes durable in a file H2 database, with REGISTERs arriving
 * from several threads and a bounded number in flight (as from a SIP stack's worker pool). Prints the figures;
 * {@code -Dregistrar.bench.bindings=200000} for a longer run.
 */
class GroupCommitThroughputTest {

    private static final int BINDINGS = Integer.getInteger("registrar.bench.bindings", 20_000);
    private static final int THREADS = 8;
    private static final int IN_FLIGHT = 2_000;

    @TempDir
    Path dir;

    @Test
    void measureDurableBindingsPerSecond() throws Exception {
        try (HikariDataSource db = H2Files.open(dir); JdbcBindingStore store = new JdbcBindingStore(db)) {
            LocationService locations = new LocationService(store, RegistrarProperties.defaults(), Clock.systemUTC());

            double created = run(locations, 1);
            double refreshed = run(locations, 2);

            System.out.printf("group commit into file H2: %d new bindings at %.0f/s, %d refreshes at %.0f/s"
                    + " (%d submitting threads, %d in flight, %d cores); reproduce: ./mvnw -o -pl registrar test"
                    + " -Dtest=GroupCommitThroughputTest -Dregistrar.bench.bindings=%d%n", BINDINGS, created, BINDINGS,
                    refreshed, THREADS, IN_FLIGHT, Runtime.getRuntime().availableProcessors(), BINDINGS);
        }
        try (HikariDataSource db = H2Files.open(dir)) {
            assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding WHERE cseq = 2",
                    Integer.class)).as("closing the store folds the journal").isEqualTo(BINDINGS);
        }
    }

    /** Registers every AOR once with this CSeq; returns durable bindings per second. */
    private static double run(LocationService locations, long cseq) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                for (int i = first; i < BINDINGS; i += THREADS) {
                    inFlight.acquireUninterruptibly();
                    CompletableFuture<RegisterOutcome> outcome = locations.register(register(
                            "sip:user" + i + "@example.com", "call-" + i, cseq, 600, contact("sip:u" + i + "@192.0.2.1")));
                    outcome.whenComplete((o, e) -> {
                        if (!(o instanceof RegisterOutcome.Ok)) {
                            failures.incrementAndGet();
                        }
                        inFlight.release();
                    });
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(5));
        }
        assertThat(inFlight.tryAcquire(IN_FLIGHT, 5, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(failures).hasValue(0);
        return BINDINGS / seconds;
    }
}
