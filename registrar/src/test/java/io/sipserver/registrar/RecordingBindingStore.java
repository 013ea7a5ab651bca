package io.sipserver.registrar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A binding store in memory that keeps rows as a database would, records every change, and can hold back
 * commits or refuse work.
 */
public final class RecordingBindingStore implements BindingStore {

    private final Map<List<String>, Binding> rows = new LinkedHashMap<>();
    private final List<BindingChange> applied = new ArrayList<>();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean holding;
    private boolean full;

    @Override
    public synchronized CompletableFuture<Void> apply(List<BindingChange> changes) {
        if (full) {
            throw new RejectedExecutionException("binding write queue is full");
        }
        for (BindingChange change : changes) {
            applied.add(change);
            List<String> key = List.of(change.aor(), change.contactUri());
            if (change instanceof BindingChange.Put put) {
                rows.put(key, put.binding());
            } else {
                rows.remove(key);
            }
        }
        if (!holding) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> commit = new CompletableFuture<>();
        held.add(commit);
        return commit;
    }

    @Override
    public synchronized List<Binding> loadAll() {
        return List.copyOf(rows.values());
    }

    /** Puts a row as if written by an earlier run. */
    public synchronized void preload(Binding binding) {
        rows.put(List.of(binding.aor(), binding.contactUri()), binding);
    }

    /** From now on, commits complete only on {@link #commitHeld()}. */
    public synchronized void holdCommits() {
        holding = true;
    }

    public synchronized void commitHeld() {
        held.forEach(f -> f.complete(null));
        held.clear();
    }

    public synchronized void refuseWork(boolean refuse) {
        full = refuse;
    }

    public synchronized List<BindingChange> applied() {
        return List.copyOf(applied);
    }

    public synchronized List<Binding> rowsOf(String aor) {
        return rows.values().stream().filter(b -> b.aor().equals(aor)).toList();
    }
}
