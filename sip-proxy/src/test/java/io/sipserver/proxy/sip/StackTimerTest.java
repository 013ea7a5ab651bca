package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StackTimerTest {

    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    private final StackTimer timer = new StackTimer();

    @BeforeEach
    void start() {
        timer.start(null, new Properties());
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void runsADelayedTaskOnTheStackTimerThreadNeverEarly() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        long scheduledAt = System.nanoTime();
        AtomicInteger elapsedMs = new AtomicInteger();
        timer.schedule(task(() -> {
            elapsedMs.set((int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scheduledAt));
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        }), 200);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(elapsedMs.get()).isGreaterThanOrEqualTo(200);
        assertThat(thread.get()).isEqualTo("sip-stack-timer");
    }

    @Test
    void cancelledTasksNeverRunAndLeaveTheWheelOnTheNextTick() {
        AtomicInteger runs = new AtomicInteger();
        List<SIPStackTimerTask> tasks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            SIPStackTimerTask task = task(runs::incrementAndGet);
            timer.schedule(task, HOUR_MS);
            tasks.add(task);
        }
        assertThat(timer.pendingTasks()).isEqualTo(10_000);

        for (SIPStackTimerTask task : tasks) {
            assertThat(timer.cancel(task)).isTrue();
            assertThat(task.getSipTimerTask()).isNull();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> timer.pendingTasks() == 0);
        assertThat(runs).hasValue(0);
    }

    @Test
    void cancellingTwiceOrCancellingANeverScheduledTaskReportsNothingCancelled() {
        SIPStackTimerTask task = task(() -> { });
        assertThat(timer.cancel(task)).isFalse();

        timer.schedule(task, HOUR_MS);
        assertThat(timer.cancel(task)).isTrue();
        assertThat(timer.cancel(task)).isFalse();
    }

    @Test
    void aPeriodicTaskThatCancelsItselfOnItsFirstRunRunsOnce() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        SIPStackTimerTask[] self = new SIPStackTimerTask[1];
        self[0] = task(() -> {
            runs.incrementAndGet();
            timer.cancel(self[0]);
            ran.countDown();
        });
        timer.scheduleWithFixedDelay(self[0], 0, 1);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        // a later run would be queued behind this marker task, which runs after the periodic task's next turn
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(task(later::countDown), 50);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(timer.pendingTasks()).isZero();
    }

    @Test
    void aPeriodicTaskCancelledByAnotherThreadWhileRunningRunsNoMore() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SIPStackTimerTask task = task(() -> {
            runs.incrementAndGet();
            running.countDown();
            awaitQuietly(release);
        });
        timer.scheduleWithFixedDelay(task, 0, 1);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(timer.cancel(task)).isTrue();
        release.countDown();

        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(task(later::countDown), 50);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(timer.pendingTasks()).isZero();
    }

    @Test
    void aFailingPeriodicTaskKeepsItsSchedule() throws InterruptedException {
        CountDownLatch runs = new CountDownLatch(3);
        timer.scheduleWithFixedDelay(task(() -> {
            runs.countDown();
            throw new IllegalStateException("boom");
        }), 0, 1);
        assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void periodicRunsAreAFullPeriodApartFromTheEndOfTheLastRun() throws InterruptedException {
        long periodMs = 50;
        List<long[]> runs = new ArrayList<>();
        CountDownLatch twoRuns = new CountDownLatch(2);
        SIPStackTimerTask[] self = new SIPStackTimerTask[1];
        self[0] = task(() -> {
            long start = System.nanoTime();
            if (runs.isEmpty()) {
                sleepQuietly(3 * periodMs);
            }
            runs.add(new long[] {start, System.nanoTime()});
            if (runs.size() == 2) {
                timer.cancel(self[0]);
            }
            twoRuns.countDown();
        });
        timer.scheduleWithFixedDelay(self[0], 0, periodMs);

        assertThat(twoRuns.await(10, TimeUnit.SECONDS)).isTrue();
        long gapMs = TimeUnit.NANOSECONDS.toMillis(runs.get(1)[0] - runs.get(0)[1]);
        assertThat(gapMs).isGreaterThanOrEqualTo(periodMs);
    }

    @Test
    void stoppingEndsTheTimerThreadSoWaitingTasksNeverRunAndRefusesNewOnes() throws InterruptedException {
        AtomicReference<Thread> timerThread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(task(() -> {
            timerThread.set(Thread.currentThread());
            ran.countDown();
        }), 1);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger runs = new AtomicInteger();
        timer.schedule(task(runs::incrementAndGet), HOUR_MS);

        timer.stop();

        // the waiting task could only ever run on this thread
        assertThat(timerThread.get().isAlive()).isFalse();
        assertThat(timer.isStarted()).isFalse();
        assertThatThrownBy(() -> timer.schedule(task(runs::incrementAndGet), 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(runs).hasValue(0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SIPStackTimerTask task(Runnable body) {
        return new SIPStackTimerTask() {
            @Override
            public void runTask() {
                body.run();
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        };
    }
}
