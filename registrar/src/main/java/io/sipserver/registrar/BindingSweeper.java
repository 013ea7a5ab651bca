package io.sipserver.registrar;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs {@link LocationService#sweep()} on a daemon thread at a fixed delay, until closed. */
public final class BindingSweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BindingSweeper.class.getName());

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "binding-sweeper");
        t.setDaemon(true);
        return t;
    });

    public BindingSweeper(LocationService locations, Duration interval) {
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> sweep(locations), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void sweep(LocationService locations) {
        try {
            int removed = locations.sweep();
            if (removed > 0) {
                LOG.log(System.Logger.Level.DEBUG, "removed {0} expired bindings", removed);
            }
        } catch (RuntimeException e) {
            // Keep sweeping: an exception would silently cancel the schedule.
            LOG.log(System.Logger.Level.ERROR, "binding sweep failed", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
