package io.sipserver.registrar.jdbc;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
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
 * CPU time per refresh of the threads that make bindings durable, at a fixed REGISTER rate, in a file H2 database:
 * the group commit's writer (which appends to the journal) and the fold (which writes the journal into
 * {@code sip_binding}), for two fold intervals. A measurement, run on request (its name keeps it out of the test
 * suite): {@code ./mvnw -o -pl config,registrar test -Dtest=GroupCommitCpuBenchmark [-Dregistrar.bench.rate=10000]}.
 */
class GroupCommitCpuBenchmark {

    private static final int AORS = 10_000;
    private static final int RATE = Integer.getInteger("registrar.bench.rate", 4_000);
    /** Enough rounds of refreshes to span three folds. */
    private static final int FOLDS = 3;

    @TempDir
    Path dir;

    @Test
    void writerAndFoldCpuPerRefresh() throws Exception {
        for (Duration foldInterval : new Duration[] {Duration.ofSeconds(10), JdbcBindingStore.DEFAULT_FOLD_INTERVAL}) {
            Path db = dir.resolve("fold-" + foldInterval.toMillis());
            int refreshes = (int) Math.ceil(FOLDS * foldInterval.toMillis() / 1000.0 * RATE / AORS);
            double writer;
            double fold;
            double fileMegabytes;
            try (HikariDataSource data = H2Files.open(db);
                    JdbcBindingStore store = new JdbcBindingStore(data, JdbcBindingStore.DEFAULT_QUEUE_CAPACITY,
                            JdbcBindingStore.DEFAULT_MAX_BATCH, JdbcBindingStore.DEFAULT_COMMIT_INTERVAL,
                            foldInterval)) {
                LocationService locations = new LocationService(store, RegistrarProperties.defaults(),
                        Clock.systemUTC());
                registerAll(locations, 1, 5 * RATE);
                long writerBefore = cpuNanos("binding-writer");
                long foldBefore = cpuNanos("binding-fold");
                for (int cseq = 2; cseq < 2 + refreshes; cseq++) {
                    registerAll(locations, cseq, RATE);
                }
                writer = (cpuNanos("binding-writer") - writerBefore) / 1e3 / (AORS * refreshes);
                fold = (cpuNanos("binding-fold") - foldBefore) / 1e3 / (AORS * refreshes);
                fileMegabytes = Files.size(db.resolve("registrar.mv.db")) / 1e6;
            }
            System.out.printf("commit interval %d ms, fold interval %d ms: writer %.1f + fold %.1f CPU-us per refresh"
                    + " (%d AORs refreshed %d times at %d/s), H2 file %.0f MB before closing, %.0f MB after%n",
                    JdbcBindingStore.DEFAULT_COMMIT_INTERVAL.toMillis(), foldInterval.toMillis(), writer, fold, AORS,
                    refreshes, RATE, fileMegabytes, Files.size(db.resolve("registrar.mv.db")) / 1e6);
            try (HikariDataSource data = H2Files.open(db)) {
                assertThat(new JdbcTemplate(data).queryForObject("SELECT COUNT(*) FROM sip_binding WHERE cseq = ?",
                        Integer.class, 1 + refreshes)).isEqualTo(AORS);
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

    /** CPU time of the live thread of this name, 0 before it exists (the fold's starts at its first run). */
    private static long cpuNanos(String threadName) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(threadName) && t.isAlive()) {
                return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
            }
        }
        return 0;
    }
}
