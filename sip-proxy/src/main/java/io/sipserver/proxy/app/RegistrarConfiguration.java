package io.sipserver.proxy.app;

import io.sipserver.config.RegistrarProperties;
import io.sipserver.config.SipProperties;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import io.sipserver.registrar.auth.DigestAuthenticator;
import io.sipserver.registrar.jdbc.JdbcBindingStore;
import io.sipserver.registrar.jdbc.JdbcUserStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Users, bindings and digest authentication, loaded from H2 at start-up. */
@Configuration(proxyBeanMethods = false)
public class RegistrarConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The digest realm: {@code sip.auth.realm}, or the served domain. */
    static String realm(SipProperties sip) {
        String realm = sip.auth().realm();
        return realm == null || realm.isBlank() ? sip.domain() : realm;
    }

    @Bean
    UserService userService(JdbcTemplate jdbc, SipProperties sip) {
        UserService users = new UserService(new JdbcUserStore(jdbc), realm(sip));
        users.load();
        return users;
    }

    @Bean(destroyMethod = "close")
    JdbcBindingStore bindingStore(DataSource dataSource, JdbcTemplate flywayMigrated, RegistrarProperties props) {
        // Takes the JdbcTemplate only so that Flyway has created the schema before the writer starts.
        return new JdbcBindingStore(dataSource, JdbcBindingStore.DEFAULT_QUEUE_CAPACITY,
                JdbcBindingStore.DEFAULT_MAX_BATCH, props.commitInterval(), props.foldInterval());
    }

    @Bean
    LocationService locationService(JdbcBindingStore store, RegistrarProperties props, Clock clock) {
        LocationService locations = new LocationService(store, props, clock);
        locations.load();
        return locations;
    }

    @Bean
    DigestAuthenticator digestAuthenticator(SipProperties sip, UserService users, Clock clock) {
        String configured = sip.auth().nonceSecret();
        byte[] secret;
        if (configured == null || configured.isBlank()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = configured.getBytes(StandardCharsets.UTF_8);
        }
        return new DigestAuthenticator(sip.auth().algorithms(), realm(sip), sip.auth().nonceTtl(), secret, clock,
                users::find);
    }
}
