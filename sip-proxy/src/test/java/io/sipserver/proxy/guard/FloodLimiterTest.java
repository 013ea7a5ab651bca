package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sipserver.config.CidrRange;
import io.sipserver.config.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FloodLimiterTest {

    /** On a whole second, so fixed windows of 1 s start at the clock's start. */
    private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(FloodLimiter.class)).addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(FloodLimiter.class)).detachAppender(logged);
    }

    private FloodLimiter limiter(int maxRequests, List<CidrRange> exempt, int maxTracked) {
        return new FloodLimiter(clock, maxRequests, Duration.ofSeconds(1), Duration.ofSeconds(60), exempt, maxTracked);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static int admitted(FloodLimiter limiter, InetAddress source, int requests) {
        int n = 0;
        for (int i = 0; i < requests; i++) {
            if (limiter.admit(source)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void admitsUpToTheLimitThenDropsForTheCoolDownAndLogsOnce() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(), 1000);
        InetAddress flooder = ip("198.51.100.7");

        assertThat(admitted(limiter, flooder, 500)).isEqualTo(10);
        assertThat(limiter.isBanned(flooder)).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(admitted(limiter, flooder, 100)).as("still cooling down").isZero();
        assertThat(logged.list).as("one warning per ban, not per packet").hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage()).contains("198.51.100.7");

        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.isBanned(flooder)).isFalse();
        assertThat(admitted(limiter, flooder, 500)).as("counted afresh after the cool-down").isEqualTo(10);
        assertThat(logged.list).as("the second ban is logged again").hasSize(2);
    }

    @Test
    void anotherAddressIsNotAffected() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(), 1000);
        admitted(limiter, ip("198.51.100.7"), 500);
        assertThat(admitted(limiter, ip("198.51.100.8"), 10)).isEqualTo(10);
        assertThat(admitted(limiter, ip("2001:db8::8"), 10)).isEqualTo(10);
    }

    @Test
    void theWindowSlidesOverThePreviousOne() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(), 1000);
        InetAddress source = ip("198.51.100.7");
        assertThat(admitted(limiter, source, 10)).isEqualTo(10);
        clock.advance(Duration.ofMillis(1500));
        // Half of the previous second still lies in the sliding window: 5 of its 10 requests count.
        assertThat(admitted(limiter, source, 5)).isEqualTo(5);
        assertThat(limiter.admit(source)).isFalse();
    }

    @Test
    void aSteadyRateUnderTheLimitIsNeverCutOff() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(), 1000);
        InetAddress source = ip("198.51.100.7");
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.admit(source)).as("request %d", i).isTrue();
            clock.advance(Duration.ofMillis(101));
        }
    }

    @Test
    void exemptRangesAreNeverLimited() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(CidrRange.parse("127.0.0.0/8"), CidrRange.parse("::1/128")), 1000);
        assertThat(admitted(limiter, ip("127.0.0.1"), 100_000)).isEqualTo(100_000);
        assertThat(admitted(limiter, ip("127.9.9.9"), 1000)).isEqualTo(1000);
        assertThat(admitted(limiter, ip("::1"), 1000)).isEqualTo(1000);
        assertThat(admitted(limiter, ip("128.0.0.1"), 1000)).isEqualTo(10);
    }

    @Test
    void trackedAddressesAreCappedAndIdleOnesMakeRoom() throws Exception {
        FloodLimiter limiter = limiter(10, List.of(), 16);
        for (int i = 0; i < 16; i++) {
            limiter.admit(ip("198.51.100." + i));
        }
        assertThat(limiter.admit(ip("203.0.113.1"))).as("no room: let through untracked").isTrue();
        assertThat(limiter.untrackedRequests()).isEqualTo(1);
        assertThat(limiter.trackedAddresses()).isEqualTo(16);

        clock.advance(Duration.ofSeconds(2));
        // A scanner spraying from many addresses: the table stays bounded, and a new flooder is still caught.
        for (int i = 0; i < 5000; i++) {
            limiter.admit(ip("10." + (i >> 8 & 255) + "." + (i & 255) + ".1"));
            if (i % 100 == 0) {
                clock.advance(Duration.ofSeconds(2));
            }
        }
        assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(16);
        clock.advance(Duration.ofSeconds(2));
        InetAddress flooder = ip("203.0.113.99");
        assertThat(admitted(limiter, flooder, 100)).isEqualTo(10);
    }

    @Test
    void concurrentRequestsFromOneAddressAreCountedExactly() throws Exception {
        FloodLimiter limiter = new FloodLimiter(clock, 5000, Duration.ofHours(1), Duration.ofHours(1), List.of(), 1000);
        InetAddress source = ip("198.51.100.7");
        AtomicInteger passed = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> passed.addAndGet(admitted(limiter, source, 20_000))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(passed.get()).isEqualTo(5000);
        assertThat(logged.list).hasSize(1);
    }
}
