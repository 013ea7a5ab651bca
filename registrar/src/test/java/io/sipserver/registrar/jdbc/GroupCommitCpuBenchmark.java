package io.sipserver.registrar.jdbc;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The binding writer's CPU time per refresh at a fixed REGISTER rate, committing as soon as it can against once per
 * {@link JdbcBindingStore#DEFAULT_COMMIT_INTERVAL}, in a file H2 database. A measurement, run on request (its name
 * keeps it out of the test suite): {@code ./mvnw -o -pl config,registrar test -Dtest=GroupCommitCpuBenchmark}.
 */
class GroupCommitCpuBenchmark {

    private static final int AORS = 10_000;
    private static final int RATE = 4_000;
    private static final int REFRESHES = 3;

    @TempDir
    Path dir;

    @Test
    void writerCpuPerRefresh() throws Exception {
        for (Duration interval : new Duration[] {Duration.ZERO, JdbcBindingStore.DEFAULT_COMMIT_INTERVAL}) {
            try (HikariDataSource db = H2Files.open(dir.resolve("interval-" + interval.toMillis()));
                    JdbcBindingStore store = new JdbcBindingStore(db, JdbcBindingStore.DEFAULT_QUEUE_CAPACITY,
                            JdbcBindingStore.DEFAULT_MAX_BATCH, interval)) {
                LocationService locations = new LocationService(store, RegistrarProperties.defaults(),
                        Clock.systemUTC());
                registerAll(locations, 1, 5 * RATE);
                long cpuBefore = writerCpuNanos();
                for (int cseq = 2; cseq < 2 + REFRESHES; cseq++) {
                    registerAll(locations, cseq, RATE);
                }
                double micros = (writerCpuNanos() - cpuBefore) / 1e3 / (AORS * REFRESHES);
                System.out.printf("commit interval %d ms: binding writer %.1f CPU-us per refresh (%d AORs refreshed"
                        + " %d times at %d/s)%n", interval.toMillis(), micros, AORS, REFRESHES, RATE);
                assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM sip_binding WHERE cseq = ?",
                        Integer.class, 1 + REFRESHES)).isEqualTo(AORS);
            }
        }
    }

    /** Registers every AOR once with this CSeq at {@code rate} per second; returns once all are durable. */
    private static void registerAll(LocationService locations, long cseq, int rate) throws InterruptedException {
        CountDownLatch durable = new CountDownLatch(AORS);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < AORS; i++) {
            long early = start + i * 1_000_000_000L / rate - System.nanoTime();
            if (early > 0) {
                LockSupport.parkNanos(early);
            }
            locations.register(register("sip:user" + i + "@example.com", "call-" + i, cseq, 600,
                    contact("sip:u" + i + "@192.0.2.1"))).whenComplete((outcome, error) -> {
                        if (!(outcome instanceof RegisterOutcome.Ok)) {
                            failures.incrementAndGet();
                        }
                        durable.countDown();
                    });
        }
        assertThat(durable.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(failures).hasValue(0);
    }

    private static long writerCpuNanos() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("binding-writer") && t.isAlive()) {
                return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
            }
        }
        throw new IllegalStateException("no binding-writer thread");
    }
}
