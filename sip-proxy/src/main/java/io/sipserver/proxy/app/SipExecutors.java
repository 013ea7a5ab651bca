package io.sipserver.proxy.app;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Threads of the SIP side besides the stack's own: timers and REGISTER response senders. */
public final class SipExecutors implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timers;
    private final ThreadPoolExecutor replies;

    SipExecutors() {
        // Timer C, CANCEL grace, sweeps: short tasks only.
        timers = new ScheduledThreadPoolExecutor(1, daemon("sip-timers"));
        // Timer C is restarted on every provisional response: cancelled tasks must not pile up in the queue.
        timers.setRemoveOnCancelPolicy(true);
        // REGISTER responses go out once their bindings are durable, off the database writer's thread. A full
        // queue makes the writer send the reply itself: back-pressure rather than loss.
        replies = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(65536),
                daemon("sip-replies"), new ThreadPoolExecutor.CallerRunsPolicy());
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    public ExecutorService replies() {
        return replies;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        replies.shutdown();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
