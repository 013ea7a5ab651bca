package io.sipserver.registrar.web;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.sipserver.registrar.RegisterRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

class RegistrationsControllerTest {

    private final WebFixture app = new WebFixture();

    @Test
    void listShowsEveryAorWithItsContactsExpiriesAndSources() throws Exception {
        app.locations.register(register("sip:alice@example.com", "c1", 1, 600,
                contact("sip:alice@198.51.100.7:5062"))).join();
        app.locations.register(new RegisterRequest("sip:bob@example.com", false,
                List.of(contact("sip:bob@[2001:db8::7]:5060", null, 0.5f)), 3600, "c2", 1, "2001:db8::7", 5060, "TCP",
                null)).join();
        app.clock.advance(Duration.ofSeconds(13));

        app.mvc.perform(get("/api/registrations"))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        [{"aor":"sip:alice@example.com","contacts":[{"uri":"sip:alice@198.51.100.7:5062","expires":587,
                          "q":1.0,"source":"198.51.100.7:5062","transport":"UDP","userAgent":"baresip"}]},
                         {"aor":"sip:bob@example.com","contacts":[{"uri":"sip:bob@[2001:db8::7]:5060","expires":3587,
                          "q":0.5,"source":"[2001:db8::7]:5060","transport":"TCP","userAgent":null}]}]
                        """, true));
    }

    @Test
    void anAorMayBeNamedInFullWithoutSchemeOrByUserAlone() throws Exception {
        app.locations.register(register("sip:alice@example.com", "c1", 1, 600, contact("sip:alice@192.0.2.1"))).join();

        for (String name : List.of("sip:alice@example.com", "alice@example.com", "alice")) {
            app.mvc.perform(get("/api/registrations/{aor}", name))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.aor").value("sip:alice@example.com"))
                    .andExpect(jsonPath("$.contacts[0].uri").value("sip:alice@192.0.2.1"));
        }
    }

    @Test
    void anAorWithoutBindingsIs404AndAMalformedOneIs400() throws Exception {
        app.mvc.perform(get("/api/registrations/carol"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("no registration for sip:carol@example.com"));
        app.mvc.perform(get("/api/registrations/{aor}", "sip:@example.com"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("no user in address-of-record 'sip:@example.com'"));
    }

    @Test
    void deleteRemovesTheBindingsThenAnswers404() throws Exception {
        app.locations.register(register("sip:alice@example.com", "c1", 1, 600, contact("sip:alice@192.0.2.1"))).join();

        deleteAsync("alice").andExpect(status().isNoContent());

        app.mvc.perform(get("/api/registrations/alice")).andExpect(status().isNotFound());
        deleteAsync("alice").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("no registration for sip:alice@example.com"));
    }

    private ResultActions deleteAsync(String aor) throws Exception {
        MvcResult started = app.mvc.perform(delete("/api/registrations/{aor}", aor))
                .andExpect(request().asyncStarted()).andReturn();
        return app.mvc.perform(asyncDispatch(started));
    }
}
