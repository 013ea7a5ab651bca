package io.sipserver.registrar;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/** Durable storage of bindings; {@link LocationService} keeps the working copy in memory. */
public interface BindingStore {

    /**
     * Queues changes to be written in order. Never blocks.
     *
     * @return completes when the changes are durable; fails when they could not be written
     * @throws RejectedExecutionException without queuing anything, when the store cannot take more work
     *     (queue full or closed)
     */
    CompletableFuture<Void> apply(List<BindingChange> changes);

    /** Every stored binding, expired ones included. */
    List<Binding> loadAll();
}
