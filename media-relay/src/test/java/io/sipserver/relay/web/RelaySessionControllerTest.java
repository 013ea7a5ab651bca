package io.sipserver.relay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.sipserver.config.RelayProperties;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.netty.NettyMediaRelay;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** The REST API over a real relay (two sessions' worth of ports, inside 40000-59999). */
class RelaySessionControllerTest {

    private static final int PAIRS = 4;

    private MediaRelay relay;
    private MockMvc mvc;
    private int firstPort;

    /** Renders errors as RFC 9457 problem details, as the application does. */
    @ControllerAdvice
    static class ProblemDetails extends ResponseEntityExceptionHandler {
    }

    @BeforeEach
    void startRelay() {
        firstPort = 40000 + 2 * ThreadLocalRandom.current().nextInt(9990);
        relay = new NettyMediaRelay(new RelayProperties("127.0.0.1", "", firstPort, firstPort + 2 * PAIRS - 1,
                RelayProperties.Mode.ALWAYS, Duration.ofSeconds(60), 1), "192.0.2.50", Clock.systemUTC());
        mvc = MockMvcBuilders.standaloneSetup(new RelaySessionController(relay))
                .setControllerAdvice(new ProblemDetails())
                .build();
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    @Test
    void createdSessionTellsEachSideWhereToSend() throws Exception {
        String body = create("{\"callId\":\"bench-1\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.callId").value("bench-1"))
                .andExpect(jsonPath("$.a.address").value("192.0.2.50"))
                .andExpect(jsonPath("$.b.address").value("192.0.2.50"))
                .andReturn().getResponse().getContentAsString();

        String id = JsonPath.read(body, "$.id");
        int portA = JsonPath.read(body, "$.a.port");
        int portB = JsonPath.read(body, "$.b.port");
        assertThat(portA).isNotEqualTo(portB).isEven().isBetween(firstPort, firstPort + 2 * PAIRS - 2);
        assertThat(portB).isEven().isBetween(firstPort, firstPort + 2 * PAIRS - 2);
        assertThat(relay.find(id)).isPresent();
    }

    @Test
    void locationPointsAtTheNewSession() throws Exception {
        ResultActions created = create("{\"callId\":\"x\"}");
        String id = JsonPath.read(created.andReturn().getResponse().getContentAsString(), "$.id");

        created.andExpect(header().string("Location", endsWith("/api/relay/sessions/" + id)));
        mvc.perform(get("/api/relay/sessions/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.callId").value("x"));
    }

    @Test
    void presetPeersAndStatisticsAreListed() throws Exception {
        create("{\"callId\":\"c1\",\"aPeer\":\"127.0.0.1:4000\",\"bPeer\":\"[::1]:4002\"}");
        create("{\"callId\":\"c2\"}");

        mvc.perform(get("/api/relay/sessions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[0].callId").value("c1"))
                .andExpect(jsonPath("$[0].streams", hasSize(1)))
                .andExpect(jsonPath("$[0].streams[0].a.peer").value("127.0.0.1:4000"))
                .andExpect(jsonPath("$[0].streams[0].b.peer").value("[0:0:0:0:0:0:0:1]:4002"))
                .andExpect(jsonPath("$[0].streams[0].a.stats.packets").value(0))
                .andExpect(jsonPath("$[0].streams[0].a.stats.latchedAddress").doesNotExist())
                .andExpect(jsonPath("$[1].callId").value("c2"))
                .andExpect(jsonPath("$[1].streams[0].a.peer").doesNotExist());
    }

    @Test
    void badPeerIsABadRequestNamingTheField() throws Exception {
        create("{\"callId\":\"c1\",\"bPeer\":\"pbx.example.com:5060\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("bPeer: not an IP address: 'pbx.example.com'"));
        assertThat(relay.sessions()).isEmpty();
    }

    @Test
    void missingCallIdIsABadRequest() throws Exception {
        create("{\"aPeer\":\"127.0.0.1:4000\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("callId is required"));
    }

    @Test
    void noPortsLeftIsServiceUnavailable() throws Exception {
        create("{\"callId\":\"c1\"}").andExpect(status().isCreated());
        create("{\"callId\":\"c2\"}").andExpect(status().isCreated());

        create("{\"callId\":\"c3\"}")
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.status").value(503))
                .andExpect(jsonPath("$.detail").value(startsWith("no free relay port pair")));
    }

    @Test
    void deleteReleasesTheSessionAndItsPorts() throws Exception {
        String id = JsonPath.read(create("{\"callId\":\"c1\"}").andReturn().getResponse().getContentAsString(), "$.id");

        mvc.perform(delete("/api/relay/sessions/" + id)).andExpect(status().isNoContent());

        assertThat(relay.freePortPairs()).isEqualTo(PAIRS);
        mvc.perform(delete("/api/relay/sessions/" + id)).andExpect(status().isNotFound());
        mvc.perform(get("/api/relay/sessions/" + id))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("no relay session " + id));
    }

    private ResultActions create(String json) throws Exception {
        return mvc.perform(post("/api/relay/sessions").contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
