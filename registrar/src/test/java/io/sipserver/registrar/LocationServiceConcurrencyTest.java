package io.sipserver.registrar;

import io.sipserver.config.testing.MutableClock;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.RegistrarProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrent REGISTERs for the same and for different AORs leave memory and store in agreement. */
class LocationServiceConcurrencyTest {

    private static final int THREADS = 8;
    private static final int REGISTERS_PER_THREAD = 500;
    private static final int AORS = 5;

    @Test
    void memoryAndStoreAgreeAfterConcurrentRegisters() throws Exception {
        RecordingBindingStore store = new RecordingBindingStore();
        LocationService locations = new LocationService(store,
                new RegistrarProperties(3600, 60, 7200, 100, Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(30)),
                MutableClock.startingAt("2026-01-01T10:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<CompletableFuture<RegisterOutcome>>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(() -> {
                start.await();
                List<CompletableFuture<RegisterOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < REGISTERS_PER_THREAD; i++) {
                    String aor = "sip:user" + (i % AORS) + "@example.com";
                    // Each thread owns a few contacts per AOR and adds or removes them.
                    String uri = "sip:device" + thread + "-" + (i % 3) + "@192.0.2." + (thread + 1);
                    outcomes.add(locations.register(register(aor, "call-" + thread, i + 1L, i % 4 == 3 ? 0 : 600,
                            contact(uri))));
                }
                return outcomes;
            });
        }
        try {
            List<Future<List<CompletableFuture<RegisterOutcome>>>> results = new ArrayList<>();
            workers.forEach(w -> results.add(pool.submit(w)));
            start.countDown();
            for (Future<List<CompletableFuture<RegisterOutcome>>> r : results) {
                for (CompletableFuture<RegisterOutcome> outcome : r.get(30, TimeUnit.SECONDS)) {
                    assertThat(outcome.join()).isInstanceOf(RegisterOutcome.Ok.class);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        int total = 0;
        for (int a = 0; a < AORS; a++) {
            String aor = "sip:user" + a + "@example.com";
            assertThat(new HashSet<>(locations.lookup(aor))).isEqualTo(new HashSet<>(store.rowsOf(aor)));
            total += locations.lookup(aor).size();
        }
        assertThat(locations.bindingCount()).isEqualTo(total).isPositive();
    }
}
