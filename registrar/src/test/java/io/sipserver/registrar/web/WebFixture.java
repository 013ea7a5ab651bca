package io.sipserver.registrar.web;

import io.sipserver.config.RegistrarProperties;
import io.sipserver.config.SipProperties;
import io.sipserver.registrar.InMemoryUserStore;
import io.sipserver.registrar.LocationService;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.registrar.RecordingBindingStore;
import io.sipserver.registrar.UserService;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The registrar's controllers over real core services, in standalone MockMvc, domain example.com. */
final class WebFixture {

    final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    final RecordingBindingStore bindings = new RecordingBindingStore();
    final UserService users = new UserService(new InMemoryUserStore(), "example.com");
    final LocationService locations = new LocationService(bindings, RegistrarProperties.defaults(), clock);
    /** Bound as the application binds it, so every other key keeps its declared default. */
    final SipProperties sip = new Binder(new MapConfigurationPropertySource(Map.of("sip.domain", "example.com")))
            .bindOrCreate("sip", SipProperties.class);
    final MockMvc mvc = MockMvcBuilders
            .standaloneSetup(new UsersController(users, locations, sip), new RegistrationsController(locations, sip, clock))
            .setControllerAdvice(new RegistrarProblemHandler())
            .build();
}
