package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    void runsADelayedTask() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(task(ran::countDown), 1);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTaskLeavesTheQueueAtOnceAndNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        SIPStackTimerTask task = task(runs::incrementAndGet);
        timer.schedule(task, HOUR_MS);
        assertThat(timer.pendingTasks()).isEqualTo(1);

        assertThat(timer.cancel(task)).isTrue();

        assertThat(timer.pendingTasks()).isZero();
        assertThat(task.getSipTimerTask()).isNull();
        assertThat(runs).hasValue(0);
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
    void aFailingPeriodicTaskKeepsItsSchedule() throws InterruptedException {
        CountDownLatch runs = new CountDownLatch(3);
        timer.scheduleWithFixedDelay(task(() -> {
            runs.countDown();
            throw new IllegalStateException("boom");
        }), 0, 1);
        assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stoppingDropsWaitingTasksAndRefusesNewOnes() {
        AtomicInteger runs = new AtomicInteger();
        timer.schedule(task(runs::incrementAndGet), HOUR_MS);

        timer.stop();

        assertThat(timer.isStarted()).isFalse();
        assertThat(timer.pendingTasks()).isZero();
        assertThatThrownBy(() -> timer.schedule(task(runs::incrementAndGet), 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(runs).hasValue(0);
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
