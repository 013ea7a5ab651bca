package io.sipserver.registrar;

import java.util.List;

/** Durable storage of users; {@link UserService} keeps the working copy in memory. */
public interface UserStore {

    List<User> loadAll();

    /**
     * Stores a new user; durable when it returns.
     *
     * @throws DuplicateUserException when a user of that name is already stored
     */
    void insert(User user);

    /** Deletes the user; false when there was none. */
    boolean delete(String username);
}
