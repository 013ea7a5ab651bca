package io.sipserver.proxy.testsupport;

import io.sipserver.config.testing.MutableClock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The whole application on loopback: SIP on a free UDP+TCP port of 127.0.0.1, HTTP on a random port, an
 * in-memory H2 database of its own, a relay port range of its own, and a {@link MutableClock}.
 * Test classes annotate themselves with this and call {@link TestServer#properties} from a
 * {@code @DynamicPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = io.sipserver.proxy.SipServerApplication.class)
@Import(ServerTest.TestClock.class)
public @interface ServerTest {

    /** The application's clock, moved by tests. */
    @TestConfiguration(proxyBeanMethods = false)
    class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }
}
