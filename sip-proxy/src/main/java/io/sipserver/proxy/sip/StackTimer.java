package io.sipserver.proxy.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's transaction timers on a hashed timing wheel, with one thread that runs them. Every INVITE transaction
 * has a periodic 500 ms timer and retransmission timers, and non-INVITE ones timers of up to 32 s (Timer J), so under
 * load tens of thousands of timers are pending: a heap (java.util.Timer, ScheduledThreadPoolExecutor) costs O(log n) per schedule and cancel
 * under one lock that the SIP threads and the timer thread share; the wheel costs O(1) and takes no lock (a new or
 * cancelled timer goes through a lock-free queue that the timer thread drains on its next tick).
 * <p>
 * Guarantees the stack relies on: a cancelled timer never runs and leaves the wheel on the next tick (the RI's
 * default keeps it until it would have fired, up to 32 s); a failing task neither ends its periodic schedule nor the
 * thread; periodic tasks run with a fixed delay between the end of one run and the start of the next; stopping drops
 * waiting tasks (the RI's executor timer runs them, which holds shutdown up to 32 s).
 */
public final class StackTimer implements SipTimer {

    /**
     * Granularity: a timer fires up to one tick late, never early. The RI's shortest delay is 200 ms (100 Trying)
     * and the others are multiples of T1 = 500 ms, so 10 ms is at most 2 % of T1, while the thread wakes only 100
     * times a second whatever the load.
     */
    static final long TICK_MS = 10;
    /** 1024 ticks = 10.24 s: most timers (T1 multiples up to T4 = 5 s) sit in their bucket for less than one turn. */
    private static final int TICKS_PER_WHEEL = 1024;

    private static final Logger log = LoggerFactory.getLogger(StackTimer.class);

    private final HashedWheelTimer wheel;
    private volatile boolean started;

    /** Called reflectively by the stack (gov.nist.javax.sip.TIMER_CLASS_NAME). */
    public StackTimer() {
        wheel = new HashedWheelTimer(r -> {
            Thread t = new Thread(r, "sip-stack-timer");
            t.setDaemon(true);
            return t;
        }, TICK_MS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        checkStarted();
        new Scheduled(task, 0).arm(delay);
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        checkStarted();
        if (period <= 0) {
            throw new IllegalArgumentException("the period of a periodic SIP timer must be positive: " + period);
        }
        new Scheduled(task, period).arm(delay);
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Scheduled scheduled)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        return scheduled.cancel();
    }

    @Override
    public void start(SipStackImpl sipStack, Properties configurationProperties) {
        wheel.start();
        started = true;
    }

    @Override
    public void stop() {
        started = false;
        wheel.stop();
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    /** Timers the wheel holds: waiting ones, and cancelled ones until the next tick removes them. */
    long pendingTasks() {
        return wheel.pendingTimeouts();
    }

    private void checkStarted() {
        if (!started) {
            throw new IllegalStateException("the SIP stack timer has been stopped");
        }
    }

    /**
     * One scheduled stack task, handed to the task (setSipTimerTask) before it is armed so that a task which cancels
     * itself as soon as it runs always finds it. A periodic task is re-armed after each run, as the wheel has only
     * one-shot timeouts.
     */
    private final class Scheduled implements TimerTask {
        private final SIPStackTimerTask task;
        private final long periodMs;
        private volatile Timeout timeout;
        private volatile boolean cancelled;

        Scheduled(SIPStackTimerTask task, long periodMs) {
            this.task = task;
            this.periodMs = periodMs;
            task.setSipTimerTask(this);
        }

        /**
         * Writes the timeout, then reads the flag, while cancel writes the flag, then reads the timeout (both
         * volatile): whichever comes second sees the other, so a cancel racing with a re-arm still removes it.
         */
        void arm(long delayMs) {
            timeout = wheel.newTimeout(this, delayMs, TimeUnit.MILLISECONDS);
            if (cancelled) {
                timeout.cancel();
            }
        }

        /** True when this call stopped further runs (a periodic task's, or a one-shot task's that had not run). */
        boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            Timeout current = timeout;
            boolean removed = current != null && current.cancel();
            return removed || periodMs > 0;
        }

        @Override
        public void run(Timeout expired) {
            if (cancelled) {
                return;
            }
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                log.warn("SIP stack timer task {} failed", task.getClass().getName(), e);
            }
            if (periodMs > 0 && !cancelled && started) {
                rearm();
            }
        }

        private void rearm() {
            try {
                arm(periodMs);
            } catch (IllegalStateException stoppedMeanwhile) {
                // stop() ran after the started check: dropping the task is what stop means
            }
        }
    }
}
