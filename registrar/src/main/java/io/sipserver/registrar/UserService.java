package io.sipserver.registrar;

import io.sipserver.config.DigestAlgorithm;
import io.sipserver.registrar.auth.DigestHashes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Users: created and deleted through the store first, read from memory. The HA1 values depend on the realm,
 * so changing the realm requires setting every password again.
 */
public final class UserService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._~+-]{1,64}");
    private static final int MAX_PASSWORD_LENGTH = 128;

    private final UserStore store;
    private final String realm;
    private final Map<String, User> users = new ConcurrentHashMap<>();

    public UserService(UserStore store, String realm) {
        this.store = store;
        this.realm = realm;
    }

    /** Fills memory from the store; call once at start-up. */
    public void load() {
        store.loadAll().forEach(u -> users.put(u.username(), u));
    }

    /**
     * Creates a user; durable when it returns.
     *
     * @throws IllegalArgumentException with the reason when the username or password is not acceptable
     * @throws DuplicateUserException when the user exists
     */
    public synchronized User create(String username, String password) {
        checkUsername(username);
        checkPassword(password);
        if (users.containsKey(username)) {
            throw new DuplicateUserException(username);
        }
        User user = new User(username,
                DigestHashes.ha1(DigestAlgorithm.MD5, username, realm, password),
                DigestHashes.ha1(DigestAlgorithm.SHA_256, username, realm, password));
        store.insert(user);
        users.put(username, user);
        return user;
    }

    /** The user, from memory. */
    public Optional<User> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(users.get(username));
    }

    /** Every user, by username. */
    public List<User> list() {
        return users.values().stream().sorted(Comparator.comparing(User::username)).toList();
    }

    /** Deletes the user; false when there was none. */
    public synchronized boolean delete(String username) {
        if (username == null || !users.containsKey(username)) {
            return false;
        }
        store.delete(username);
        users.remove(username);
        return true;
    }

    private static void checkUsername(String username) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username is required");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "username must be 1 to 64 characters of letters, digits and . _ ~ + -");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password is required");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("password must not contain control characters");
        }
    }
}
