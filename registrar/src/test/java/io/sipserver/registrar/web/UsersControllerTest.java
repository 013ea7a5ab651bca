package io.sipserver.registrar.web;

import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

class UsersControllerTest {

    private final WebFixture app = new WebFixture();

    @Test
    void createAnswers201WithTheLocationAndTheNameOnly() throws Exception {
        create("{\"username\":\"alice\",\"password\":\"s3cret\"}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/users/alice"))
                .andExpect(content().json("{\"username\":\"alice\"}", true));

        assertThat(app.users.find("alice")).isPresent();
    }

    @Test
    void aDuplicateIs409AsAProblemDetail() throws Exception {
        app.users.create("alice", "s3cret");

        create("{\"username\":\"alice\",\"password\":\"other\"}")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.detail").value("user 'alice' already exists"));
    }

    @Test
    void badInputIs400WithTheReason() throws Exception {
        create("{\"username\":\"al ice\",\"password\":\"s3cret\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("username must be 1 to 64 characters of letters, digits and . _ ~ + -"));
        create("{\"username\":\"alice\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("password is required"));
    }

    @Test
    void malformedJsonIs400WithTheParsersReason() throws Exception {
        create("{\"username\": alice}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", startsWith("Malformed JSON: Unrecognized token 'alice'")))
                .andExpect(jsonPath("$.detail", endsWith("(at byte offset: #13)")));
        create("")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Request body is missing or unreadable"));
    }

    @Test
    void listShowsUsernamesOnlyNeverHa1() throws Exception {
        app.users.create("bob", "x");
        app.users.create("alice", "y");

        app.mvc.perform(get("/api/users"))
                .andExpect(status().isOk())
                .andExpect(content().json("[{\"username\":\"alice\"},{\"username\":\"bob\"}]", true));
    }

    @Test
    void anUnknownUserIs404() throws Exception {
        app.mvc.perform(get("/api/users/carol"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("no user 'carol'"));
        app.mvc.perform(delete("/api/users/carol"))
                .andExpect(status().isNotFound());
    }

    @Test
    void deleteRemovesTheUserAndItsRegistrations() throws Exception {
        app.users.create("alice", "s3cret");
        app.locations.register(register("sip:alice@example.com", "c1", 1, 600, contact("sip:alice@192.0.2.1"))).join();

        MvcResult started = app.mvc.perform(delete("/api/users/alice")).andExpect(request().asyncStarted()).andReturn();
        app.mvc.perform(asyncDispatch(started)).andExpect(status().isNoContent());

        assertThat(app.users.find("alice")).isEmpty();
        assertThat(app.locations.lookup("sip:alice@example.com")).isEmpty();
    }

    private ResultActions create(String json) throws Exception {
        return app.mvc.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
