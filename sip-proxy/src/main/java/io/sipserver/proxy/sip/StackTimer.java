package io.sipserver.proxy.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's transaction timers on one thread that forgets a cancelled timer at once. The RI's default (a
 * java.util.Timer) keeps every cancelled task in its heap until the task would have fired: each transaction
 * cancels timers of up to 32 s, so under load the heap holds a hundred thousand dead tasks and the timer thread
 * spends its time sifting them. The RI's own executor timer keeps running delayed tasks after the stack stops,
 * which holds the process up to 32 s at shutdown; this one drops them, as the default does.
 */
public final class StackTimer implements SipTimer {

    private static final Logger log = LoggerFactory.getLogger(StackTimer.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean started;

    /** Called reflectively by the stack (gov.nist.javax.sip.TIMER_CLASS_NAME). */
    public StackTimer() {
        executor = new StackTimerExecutor();
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        checkStarted();
        executor.schedule(new Run(task), delay, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        checkStarted();
        executor.scheduleWithFixedDelay(new Run(task), delay, period, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Future<?> future)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        return future.cancel(false);
    }

    @Override
    public void start(SipStackImpl sipStack, Properties configurationProperties) {
        executor.prestartAllCoreThreads();
        started = true;
    }

    @Override
    public void stop() {
        started = false;
        executor.shutdownNow();
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    /** Tasks waiting to run (cancelled ones are not among them). */
    int pendingTasks() {
        return executor.getQueue().size();
    }

    private void checkStarted() {
        if (!started) {
            throw new IllegalStateException("the SIP stack timer has been stopped");
        }
    }

    /** One stack task; a failing run must not end its periodic schedule, nor the thread. */
    private record Run(SIPStackTimerTask task) implements Runnable {
        @Override
        public void run() {
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                log.warn("SIP stack timer task {} failed", task.getClass().getName(), e);
            }
        }
    }

    /**
     * Hands each task its future before the task is queued, so that a task which cancels itself (or is cancelled)
     * as soon as it runs always finds it.
     */
    private static final class StackTimerExecutor extends ScheduledThreadPoolExecutor {
        StackTimerExecutor() {
            super(1, r -> {
                Thread t = new Thread(r, "sip-stack-timer");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> future) {
            if (runnable instanceof Run run) {
                run.task().setSipTimerTask(future);
            }
            return future;
        }
    }
}
