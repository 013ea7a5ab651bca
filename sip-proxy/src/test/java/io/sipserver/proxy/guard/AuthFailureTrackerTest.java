package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthFailureTrackerTest {

    private static final Duration COOL_DOWN = Duration.ofMinutes(5);
    private static final Duration DELAY = Duration.ofSeconds(1);

    private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
    /** 3 failures per user and address, 10 per address, within 10 minutes. */
    private final AuthFailureTracker tracker = new AuthFailureTracker(clock, 3, 10, Duration.ofMinutes(10),
            COOL_DOWN, DELAY, 1000);

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aGuesserLocksTheUserOnlyAtItsOwnAddress() throws Exception {
        InetAddress guesser = ip("198.51.100.7");
        InetAddress home = ip("203.0.113.5");
        for (int i = 0; i < 3; i++) {
            assertThat(tracker.lockedForMillis("alice", guesser)).isZero();
            tracker.failed("alice", guesser);
        }
        assertThat(tracker.lockedForMillis("alice", guesser)).isEqualTo(COOL_DOWN.toMillis());
        assertThat(tracker.lockedForMillis("alice", home)).as("alice at home").isZero();
        assertThat(tracker.lockedForMillis("bob", guesser)).as("another user at the guesser's address").isZero();
        tracker.succeeded("alice", home);
        assertThat(tracker.lockedForMillis("alice", guesser)).as("her success elsewhere lifts nothing").isPositive();
    }

    @Test
    void repeatedFailuresAreAnsweredLaterAndLater() throws Exception {
        InetAddress source = ip("198.51.100.7");
        assertThat(tracker.failed("alice", source)).isZero();
        assertThat(tracker.failed("alice", source)).isEqualTo(DELAY.toMillis());
        assertThat(tracker.failed("alice", source)).isEqualTo(2 * DELAY.toMillis());
        clock.advance(COOL_DOWN);
        assertThat(tracker.lockedForMillis("alice", source)).isZero();
        assertThat(tracker.failed("alice", source)).as("counted afresh after the lock").isZero();
    }

    @Test
    void theLockEndsAfterTheCoolDown() throws Exception {
        InetAddress source = ip("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            tracker.failed("alice", source);
        }
        clock.advance(COOL_DOWN.minusSeconds(1));
        assertThat(tracker.lockedForMillis("alice", source)).isEqualTo(1000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.lockedForMillis("alice", source)).isZero();
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() throws Exception {
        InetAddress source = ip("198.51.100.7");
        for (int i = 0; i < 10; i++) {
            tracker.failed("alice", source);
            clock.advance(Duration.ofMinutes(6));
        }
        assertThat(tracker.lockedForMillis("alice", source)).isZero();
    }

    @Test
    void aSuccessResetsTheUsersCountAtThatAddress() throws Exception {
        InetAddress source = ip("198.51.100.7");
        tracker.failed("alice", source);
        tracker.failed("alice", source);
        tracker.succeeded("alice", source);
        assertThat(tracker.failed("alice", source)).as("no delay after a success").isZero();
        tracker.failed("alice", source);
        assertThat(tracker.lockedForMillis("alice", source)).isZero();
    }

    @Test
    void anAddressTryingManyUsersIsLockedButSparesUsersThatAuthenticatedFromIt() throws Exception {
        InetAddress office = ip("198.51.100.7");
        tracker.failed("printer", office);
        tracker.succeeded("carol", office);
        for (int i = 0; i < 9; i++) {
            tracker.failed("user" + i, office);
        }
        assertThat(tracker.lockedForMillis("dave", office)).as("a name never seen there").isEqualTo(COOL_DOWN.toMillis());
        assertThat(tracker.lockedForMillis("carol", office)).as("authenticated there before the lock").isZero();
        assertThat(tracker.lockedForMillis("dave", ip("198.51.100.8"))).isZero();
        clock.advance(COOL_DOWN);
        assertThat(tracker.lockedForMillis("dave", office)).isZero();
    }

    @Test
    void memoryStaysBoundedUnderASprayOfAddressesAndNames() throws Exception {
        AuthFailureTracker small = new AuthFailureTracker(clock, 3, 10, Duration.ofSeconds(10),
                Duration.ofSeconds(10), DELAY, 16);
        for (int i = 0; i < 5000; i++) {
            small.failed("user" + i, ip("10." + (i >> 8 & 255) + "." + (i & 255) + ".1"));
            if (i % 100 == 0) {
                clock.advance(Duration.ofSeconds(30));
            }
        }
        assertThat(small.trackedEntries()).isLessThanOrEqualTo(32);
        clock.advance(Duration.ofSeconds(30));
        InetAddress guesser = ip("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            small.failed("alice", guesser);
        }
        assertThat(small.lockedForMillis("alice", guesser)).as("a new guesser is still caught").isPositive();
    }

    @Test
    void aDisabledTrackerNeverLocks() throws Exception {
        AuthFailureTracker off = AuthFailureTracker.disabled();
        InetAddress source = ip("198.51.100.7");
        for (int i = 0; i < 100; i++) {
            assertThat(off.failed("alice", source)).isZero();
        }
        assertThat(off.lockedForMillis("alice", source)).isZero();
    }
}
