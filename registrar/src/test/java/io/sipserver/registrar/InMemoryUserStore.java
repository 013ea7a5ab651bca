package io.sipserver.registrar;

import java.util.ArrayList;
import java.util.List;

/** A user store in a list. */
public final class InMemoryUserStore implements UserStore {

    private final List<User> rows = new ArrayList<>();

    @Override
    public synchronized List<User> loadAll() {
        return List.copyOf(rows);
    }

    @Override
    public synchronized void insert(User user) {
        rows.add(user);
    }

    @Override
    public synchronized boolean delete(String username) {
        return rows.removeIf(u -> u.username().equals(username));
    }
}
