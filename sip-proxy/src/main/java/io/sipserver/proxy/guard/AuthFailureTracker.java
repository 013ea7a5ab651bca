package io.sipserver.proxy.guard;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed digest attempts, per user name and source address and per source address, and decides when the
 * answer to a failure is held back and when a user (from one address) or a whole address is refused.
 * <ul>
 * <li>A user that fails {@code maxFailures} times from one address within the window is refused from that
 * address for the cool-down. The same user from any other address is not affected: a guesser at X cannot lock
 * alice out at Y.</li>
 * <li>An address whose failures (any user names) reach {@code maxFailuresPerAddress} within the window is refused
 * for the cool-down, except for users that authenticated successfully from it since its failures began: behind
 * an office NAT, one misconfigured or guessing phone does not lock out the others.</li>
 * <li>The n-th failure in a row of a user from an address is answered (n - 1) x {@code failureDelay} late
 * (counting afresh after a lock).</li>
 * </ul>
 * A success resets its user's count at that address; it does not reset the address's count (a guesser holding
 * one valid account must not be able to wipe its record). Both tables are bounded; entries with nothing to
 * remember are evicted when they are full.
 */
public final class AuthFailureTracker {

    private static final Logger log = LoggerFactory.getLogger(AuthFailureTracker.class);

    private final boolean enabled;
    private final Clock clock;
    private final int maxFailures;
    private final int maxFailuresPerAddress;
    private final long windowMillis;
    private final long coolDownMillis;
    private final long failureDelayMillis;
    private final Duration window;
    private final Duration coolDown;
    private final BoundedTable<UserAtAddress, Failures> users;
    private final BoundedTable<InetAddress, Failures> addresses;

    /** A user name as claimed in the credentials, at one source address. */
    private record UserAtAddress(String user, InetAddress address) {
    }

    public AuthFailureTracker(Clock clock, int maxFailures, int maxFailuresPerAddress, Duration window,
            Duration coolDown, Duration failureDelay, int maxTracked) {
        this(true, clock, maxFailures, maxFailuresPerAddress, window, coolDown, failureDelay, maxTracked);
    }

    private AuthFailureTracker(boolean enabled, Clock clock, int maxFailures, int maxFailuresPerAddress,
            Duration window, Duration coolDown, Duration failureDelay, int maxTracked) {
        this.enabled = enabled;
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.windowMillis = window.toMillis();
        this.coolDownMillis = coolDown.toMillis();
        this.failureDelayMillis = failureDelay.toMillis();
        this.window = window;
        this.coolDown = coolDown;
        // Sweeping a full table is a walk over it: at most once a second.
        this.users = new BoundedTable<>(maxTracked, 1000);
        this.addresses = new BoundedTable<>(maxTracked, 1000);
    }

    /** A tracker that counts nothing and never holds back or refuses. */
    public static AuthFailureTracker disabled() {
        return new AuthFailureTracker(false, Clock.systemUTC(), 1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1);
    }

    /**
     * How much longer {@code user} is refused from {@code source}, in milliseconds; 0 when it may try.
     *
     * @param user the user name the credentials claim (null when they name none)
     */
    public long lockedForMillis(String user, InetAddress source) {
        if (!enabled) {
            return 0;
        }
        long now = clock.millis();
        Failures pair = users.get(new UserAtAddress(nameOf(user), source));
        if (pair != null) {
            long left = pair.lockedForMillis(now);
            if (left > 0) {
                return left;
            }
            if (pair.knownGood()) {
                return 0;
            }
        }
        Failures address = addresses.get(source);
        return address == null ? 0 : address.lockedForMillis(now);
    }

    /**
     * Records a failed attempt.
     *
     * @return how long to hold back the refusal, in milliseconds
     */
    public long failed(String user, InetAddress source) {
        if (!enabled) {
            return 0;
        }
        long now = clock.millis();
        String name = nameOf(user);
        Failures address = addresses.getOrCreate(source, now, a -> new Failures());
        if (address != null && address.fail(now, maxFailuresPerAddress)) {
            log.warn("{} failed digest attempts from {} within {}: refusing it for {} (except users that "
                    + "authenticated from it meanwhile)", maxFailuresPerAddress, source.getHostAddress(), window,
                    coolDown);
        }
        Failures pair = users.getOrCreate(new UserAtAddress(name, source), now, k -> new Failures());
        if (pair == null) {
            return 0;
        }
        int inARow = pair.failuresInARow();
        if (pair.fail(now, maxFailures)) {
            log.warn("{} failed digest attempts for user '{}' from {} within {}: refusing it there for {}",
                    maxFailures, name, source.getHostAddress(), window, coolDown);
        }
        return inARow * failureDelayMillis;
    }

    /** Records a successful authentication of {@code user} from {@code source}. */
    public void succeeded(String user, InetAddress source) {
        if (!enabled) {
            return;
        }
        long now = clock.millis();
        UserAtAddress key = new UserAtAddress(nameOf(user), source);
        Failures pair = users.get(key);
        if (pair == null && addresses.get(source) != null) {
            // Remembered only where failures are being counted, so that a lock of the address spares this user.
            pair = users.getOrCreate(key, now, k -> new Failures());
        }
        if (pair != null) {
            pair.succeed(now);
        }
    }

    /** User/address pairs plus addresses tracked now (each table bounded by the cap). */
    public int trackedEntries() {
        return users.size() + addresses.size();
    }

    private static String nameOf(String user) {
        return user == null ? "" : user;
    }

    /** Failures of one key; guarded by its own monitor, so keys do not contend with each other. */
    private final class Failures implements BoundedTable.Expiring {
        private int count;
        private int inARow;
        private long windowStart;
        private long lockedUntil;
        private long lastSeen;
        private boolean knownGood;

        /** Counts a failure; true when it starts a lock. */
        synchronized boolean fail(long now, int limit) {
            lastSeen = now;
            inARow++;
            if (now < lockedUntil) {
                return false;
            }
            if (count == 0 || now - windowStart >= windowMillis) {
                count = 0;
                windowStart = now;
            }
            if (++count < limit) {
                return false;
            }
            count = 0;
            inARow = 0;
            lockedUntil = now + coolDownMillis;
            return true;
        }

        synchronized void succeed(long now) {
            lastSeen = now;
            count = 0;
            inARow = 0;
            knownGood = true;
        }

        synchronized int failuresInARow() {
            return inARow;
        }

        synchronized boolean knownGood() {
            return knownGood;
        }

        synchronized long lockedForMillis(long now) {
            return Math.max(0, lockedUntil - now);
        }

        @Override
        public synchronized boolean idleAt(long now) {
            return now >= lockedUntil && now - lastSeen >= windowMillis + coolDownMillis;
        }
    }
}
