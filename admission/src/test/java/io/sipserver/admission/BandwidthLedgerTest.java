package io.sipserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BandwidthLedgerTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void allOrNothingAcrossLocations() {
        BandwidthLedger ledger = new BandwidthLedger(new FixedLimits().budget("a", 1000).budget("b", 100));
        assertThat(ledger.reserve("c1", Set.of(), Map.of("b", 80.0)).admitted()).isTrue();

        AdmissionDecision decision = ledger.reserve("c2", Set.of(), Map.of("a", 80.0, "b", 80.0));

        assertThat(decision).isEqualTo(new AdmissionDecision.Refused("b", 80, 20));
        assertThat(ledger.usage("a").usedKbps()).as("nothing charged where it fitted").isZero();
        assertThat(ledger.usage("b").usedKbps()).isEqualTo(80);
        assertThat(ledger.liveCalls()).isEqualTo(1);
    }

    @Test
    void adjustShrinksAlwaysAndGrowsOnlyWhenItFits() {
        BandwidthLedger ledger = new BandwidthLedger(new FixedLimits().budget("a", 200));
        ledger.reserve("c1", Set.of(), Map.of("a", 160.0));
        ledger.reserve("c2", Set.of(), Map.of("a", 24.0));

        assertThat(ledger.adjust("c1", Set.of(), Map.of("a", 200.0)).admitted()).isFalse();
        assertThat(ledger.chargesOf("c1")).containsEntry("a", 160.0);
        assertThat(ledger.adjust("c1", Set.of(), Map.of("a", 24.0)))
                .isEqualTo(new AdmissionDecision.Admitted(24));
        assertThat(ledger.usage("a").usedKbps()).isEqualTo(48);

        ledger.release("c1");
        ledger.release("c1");
        assertThat(ledger.usage("a").usedKbps()).isEqualTo(24);
        assertThatThrownBy(() -> ledger.adjust("c1", Set.of(), Map.of("a", 1.0)))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> ledger.reserve("c2", Set.of(), Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reservationsAreHeldForTheirOwnersWhoDrawFromThemFirst() {
        Reservation alices = new Reservation("r1", "a", 160, "alice", NINE, NINE.plusSeconds(3600));
        BandwidthLedger ledger = new BandwidthLedger(new FixedLimits().budget("a", 400).active("a", alices));

        assertThat(ledger.usage("a")).isEqualTo(new LocationUsage("a", 400L, 0, 160, 240.0));
        assertThat(ledger.reserve("alice-1", Set.of("alice", "bob"), Map.of("a", 80.0)).admitted()).isTrue();
        assertThat(ledger.usage("a").availableKbps()).as("drawn from alice's reservation").isEqualTo(240.0);

        for (int i = 0; i < 3; i++) {
            assertThat(ledger.reserve("bob-" + i, Set.of("bob"), Map.of("a", 80.0)).admitted()).isTrue();
        }
        assertThat(ledger.reserve("bob-3", Set.of("bob"), Map.of("a", 80.0)))
                .isEqualTo(new AdmissionDecision.Refused("a", 80, 0));
        assertThat(ledger.reserve("alice-2", Set.of("alice"), Map.of("a", 80.0)).admitted())
                .as("the rest of alice's reservation").isTrue();
        assertThat(ledger.reserve("alice-3", Set.of("alice"), Map.of("a", 80.0)).admitted()).isFalse();

        ledger.release("bob-0");
        assertThat(ledger.reserve("alice-3", Set.of("alice"), Map.of("a", 80.0)).admitted())
                .as("alice may use the common pool too").isTrue();
        assertThat(ledger.usage("a")).isEqualTo(new LocationUsage("a", 400L, 400, 160, 0.0));

        for (String call : List.of("alice-1", "alice-2", "alice-3", "bob-1", "bob-2")) {
            ledger.release(call);
        }
        assertThat(ledger.usage("a")).isEqualTo(new LocationUsage("a", 400L, 0, 160, 240.0));
    }

    @Test
    void shrinkingGivesBackTheCommonPartFirst() {
        Reservation alices = new Reservation("r1", "a", 100, "alice", NINE, NINE.plusSeconds(3600));
        BandwidthLedger ledger = new BandwidthLedger(new FixedLimits().budget("a", 300).active("a", alices));
        ledger.reserve("alice", Set.of("alice"), Map.of("a", 160.0));
        assertThat(ledger.usage("a").availableKbps()).as("100 from the reservation, 60 common").isEqualTo(140.0);

        ledger.adjust("alice", Set.of("alice"), Map.of("a", 100.0));

        assertThat(ledger.usage("a").availableKbps()).as("still all of the reservation in use").isEqualTo(200.0);
    }

    /**
     * Many threads admit, adjust and release calls over a few shared locations. At no moment may a budget be
     * exceeded: each thread adds what it was granted to an independent tally and checks the budget, and a sampler
     * watches the ledger itself. At a quiescent point usage equals the sum of the live calls' charges, and after
     * all releases it is zero.
     */
    @Test
    void concurrentAdmitAndReleaseNeverExceedABudgetAndLeaveNothingBehind() throws Exception {
        Map<String, Long> budgets = Map.of("a", 800L, "b", 800L, "c", 480L);
        FixedLimits limits = new FixedLimits();
        budgets.forEach(limits::budget);
        BandwidthLedger ledger = new BandwidthLedger(limits);
        List<String> names = List.of("a", "b", "c", "d");
        Map<String, AtomicLong> granted = new ConcurrentHashMap<>();
        names.forEach(name -> granted.put(name, new AtomicLong()));
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        Future<?> sampler = pool.submit(() -> {
            for (int i = 0; i < 1_000_000 && running.get(); i++) {
                budgets.forEach((name, budget) -> {
                    if (ledger.usage(name).usedKbps() > budget) {
                        violations.add("ledger over budget at " + name);
                    }
                });
            }
        });
        List<Future<Map<String, Map<String, Double>>>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                Map<String, Map<String, Double>> held = new HashMap<>();
                for (int i = 0; i < 5_000; i++) {
                    if (!held.isEmpty() && (held.size() > 4 || random.nextInt(3) == 0)) {
                        String call = held.keySet().iterator().next();
                        Map<String, Double> charges = held.remove(call);
                        charges.forEach((name, kbps) -> granted.get(name).addAndGet(-Math.round(kbps * 1000)));
                        ledger.release(call);
                        continue;
                    }
                    Map<String, Double> charges = new HashMap<>();
                    int legs = 1 + random.nextInt(3);
                    for (int leg = 0; leg < legs; leg++) {
                        charges.merge(names.get(random.nextInt(names.size())),
                                List.of(24.0, 80.0, 160.0).get(random.nextInt(3)), Double::sum);
                    }
                    String call = "t" + seed + "-" + i;
                    if (ledger.reserve(call, Set.of(), charges).admitted()) {
                        admitted.incrementAndGet();
                        charges.forEach((name, kbps) -> {
                            long total = granted.get(name).addAndGet(Math.round(kbps * 1000));
                            Long budget = budgets.get(name);
                            if (budget != null && total > budget * 1000) {
                                violations.add("granted " + total + " bps at " + name);
                            }
                        });
                        held.put(call, charges);
                    } else {
                        refused.incrementAndGet();
                    }
                }
                return held;
            }));
        }
        Map<String, Map<String, Double>> live = new HashMap<>();
        for (Future<Map<String, Map<String, Double>>> worker : workers) {
            live.putAll(worker.get(60, TimeUnit.SECONDS));
        }
        running.set(false);
        sampler.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(violations).isEmpty();
        assertThat(admitted.get()).isPositive();
        assertThat(refused.get()).as("the budgets were contended").isPositive();
        assertThat(ledger.liveCalls()).isEqualTo(live.size());
        for (String name : names) {
            double sum = live.keySet().stream()
                    .mapToDouble(call -> ledger.chargesOf(call).getOrDefault(name, 0.0)).sum();
            assertThat(ledger.usage(name).usedKbps()).as("usage of %s = sum of live charges", name)
                    .isEqualTo(Math.round(sum * 1000) / 1000.0);
        }

        live.keySet().parallelStream().forEach(ledger::release);

        assertThat(ledger.liveCalls()).isZero();
        for (String name : names) {
            assertThat(ledger.usage(name).usedKbps()).isZero();
        }
    }
}
