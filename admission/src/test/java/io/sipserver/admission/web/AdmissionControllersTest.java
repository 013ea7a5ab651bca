package io.sipserver.admission.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.sipserver.admission.BandwidthLedger;
import io.sipserver.admission.BandwidthModel;
import io.sipserver.admission.CallAdmission;
import io.sipserver.admission.InMemoryLocationStore;
import io.sipserver.admission.InMemoryReservationStore;
import io.sipserver.admission.LocationDirectory;
import io.sipserver.admission.LocationLimits;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.admission.ReservationBook;
import io.sipserver.config.AdmissionProperties;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class AdmissionControllersTest {

    private static final String BRANCH = """
            {"name":"branch-1","cidrs":["198.51.100.0/24"],"bandwidthKbps":512}""";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private MockMvc mvc;

    @BeforeEach
    void setUp() throws Exception {
        LocationDirectory locations = new LocationDirectory(new InMemoryLocationStore());
        ReservationBook reservations = new ReservationBook(new InMemoryReservationStore(), locations, clock);
        BandwidthLedger ledger = new BandwidthLedger(LocationLimits.of(locations, reservations));
        CallAdmission admission =
                new CallAdmission(new BandwidthModel(AdmissionProperties.defaults()), locations, ledger, clock);
        mvc = MockMvcBuilders
                .standaloneSetup(new LocationController(locations, admission), new ReservationController(reservations))
                .setControllerAdvice(new AdmissionExceptionHandler())
                .build();
        postJson("/api/locations", BRANCH).andExpect(status().isCreated());
    }

    @Test
    void locationsAreCreatedListedChangedAndDeleted() throws Exception {
        postJson("/api/locations", """
                {"name":"branch-2","cidrs":["203.0.113.0/24"],"bandwidthKbps":256}""")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/locations/branch-2"))
                .andExpect(jsonPath("$.availableKbps").value(256.0))
                .andExpect(jsonPath("$.usedKbps").value(0.0));
        mvc.perform(get("/api/locations"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(3)))
                .andExpect(jsonPath("$[2].name").value("default"))
                .andExpect(jsonPath("$[2].availableKbps").doesNotExist());
        mvc.perform(put("/api/locations/branch-2").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cidrs\":[\"203.0.113.0/25\"],\"bandwidthKbps\":128}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.cidrs[0]").value("203.0.113.0/25"))
                .andExpect(jsonPath("$.bandwidthKbps").value(128));
        mvc.perform(put("/api/locations/default").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"bandwidthKbps\":2048}"))
                .andExpect(status().isOk());
        mvc.perform(delete("/api/locations/branch-2")).andExpect(status().isNoContent());
        mvc.perform(get("/api/locations/branch-2")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("no location 'branch-2'"));
    }

    @Test
    void locationErrorsAreProblemDetails() throws Exception {
        postJson("/api/locations", BRANCH)
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("location 'branch-1' already exists"));
        postJson("/api/locations", "{\"name\":\"x\",\"cidrs\":[\"198.51.100.300/24\"]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("not an IP address")));
        postJson("/api/locations", "{\"name\":\"x\",\"cidrs\":[\"198.51.100.0/24\"]}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("already belongs to location 'branch-1'")));
        postJson("/api/locations", "{\"name\":\"x\",").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("not the expected JSON")));
        mvc.perform(put("/api/locations/branch-1").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"other\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("cannot be renamed")));
        mvc.perform(put("/api/locations/nowhere").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isNotFound());
        mvc.perform(delete("/api/locations/default")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("the default location cannot be deleted"));
    }

    @Test
    void reservationsThatFitAreCreatedAndThoseThatDoNotAreConflicts() throws Exception {
        String id = postJson("/api/reservations", reservation(160, "09:00", "10:00"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").isNotEmpty())
                .andExpect(jsonPath("$.start").value("2026-12-01T09:00:00Z"))
                .andReturn().getResponse().getHeader("Location").substring("/api/reservations/".length());
        postJson("/api/reservations", reservation(352, "09:30", "10:30")).andExpect(status().isCreated());

        postJson("/api/reservations", reservation(1, "09:45", "09:50"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.detail", containsString("512 kbps are already reserved")));

        mvc.perform(get("/api/reservations").param("location", "branch-1"))
                .andExpect(status().isOk()).andExpect(jsonPath("$", hasSize(2)));
        mvc.perform(get("/api/reservations/" + id)).andExpect(jsonPath("$.owner").value("alice"));

        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        mvc.perform(get("/api/locations/branch-1"))
                .andExpect(jsonPath("$.reservedKbps").value(160.0))
                .andExpect(jsonPath("$.availableKbps").value(352.0));

        mvc.perform(delete("/api/reservations/" + id)).andExpect(status().isNoContent());
        mvc.perform(get("/api/reservations/" + id)).andExpect(status().isNotFound());
        mvc.perform(delete("/api/reservations/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void badReservationsGet400WithTheReason() throws Exception {
        postJson("/api/reservations", reservation(160, "10:00", "09:00")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("must be after start")));
        postJson("/api/reservations", reservation(-5, "09:00", "10:00")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("bandwidthKbps must be positive")));
        postJson("/api/reservations", reservation(160, "09:00", "10:00").replace("branch-1", "nowhere"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("no location 'nowhere'"));
        postJson("/api/reservations", """
                {"location":"branch-1","bandwidthKbps":160,"owner":"alice","start":"tomorrow","end":"later"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("start must be an ISO-8601 instant")));
        postJson("/api/reservations", """
                {"location":"branch-1","owner":"alice","start":"2026-12-01T09:00:00Z","end":"2026-12-01T10:00:00Z"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("bandwidthKbps is required"));
    }

    private ResultActions postJson(String path, String json) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static String reservation(double kbps, String start, String end) {
        return """
                {"location":"branch-1","bandwidthKbps":%s,"owner":"alice",\
                "start":"2026-12-01T%s:00Z","end":"2026-12-01T%s:00Z"}""".formatted(kbps, start, end);
    }
}
