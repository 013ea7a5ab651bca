package io.sipserver.registrar.jdbc;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;

import io.sipserver.config.RegistrarProperties;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link KillNineTest} kills: registers AORs as fast as the store takes them and prints
 * {@code ACK <aor>} once each REGISTER's future has completed, as the proxy would then answer 200 OK.
 * Stops by itself after a minute.
 */
public final class KillNineChild {

    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int IN_FLIGHT = 1_000;

    private KillNineChild() {
    }

    public static void main(String[] args) throws Exception {
        LocationService locations = new LocationService(new JdbcBindingStore(H2Files.open(Path.of(args[0]))),
                RegistrarProperties.defaults(), Clock.systemUTC());
        PrintStream out = System.out;
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long deadline = System.nanoTime() + RUN_NANOS;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            inFlight.acquire();
            String aor = "sip:user" + i + "@example.com";
            locations.register(register(aor, "call-" + i, 1, 600, contact("sip:u" + i + "@192.0.2.1")))
                    .whenComplete((outcome, failure) -> {
                        inFlight.release();
                        if (outcome instanceof RegisterOutcome.Ok) {
                            synchronized (out) {
                                out.println("ACK " + aor);
                                out.flush();
                            }
                        }
                    });
        }
        System.exit(0);
    }
}
