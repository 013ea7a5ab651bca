package io.sipserver.proxy.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.regex.Pattern;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.MinExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** RFC 3261 section 10.3 and digest authentication over real UDP and TCP, against the running application. */
@ServerTest
class RegistrarProtocolTest {

    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
    }

    @Autowired
    UserService users;

    @Autowired
    LocationService locations;

    @Autowired
    MutableClock clock;

    private final List<TestUserAgent> agents = new ArrayList<>();

    @AfterEach
    void closeAgents() {
        agents.parallelStream().forEach(TestUserAgent::close);
    }

    private TestUserAgent agent(String transport, String password) throws Exception {
        String user = "u" + Long.toHexString(System.nanoTime());
        if (users.find(user).isEmpty()) {
            users.create(user, "right-password");
        }
        TestUserAgent ua = new TestUserAgent(user, password, TestServer.DOMAIN, "127.0.0.1:" + sipPort, transport);
        agents.add(ua);
        return ua;
    }

    private static List<String> values(Response r, String header) {
        List<String> out = new ArrayList<>();
        ListIterator<Header> it = r.getHeaders(header);
        while (it.hasNext()) {
            String h = it.next().toString().trim();
            out.add(h.substring(h.indexOf(':') + 1).trim());
        }
        return out;
    }

    private static List<ContactHeader> contacts(Response r) {
        List<ContactHeader> out = new ArrayList<>();
        ListIterator<Header> it = r.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            out.add((ContactHeader) it.next());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void challengesWithMd5ThenSha256(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        ua.send(ua.registerRequest(600, "<" + ua.contact() + ">"));
        Response challenge = ua.finalResponse();
        assertThat(challenge.getStatusCode()).isEqualTo(401);
        List<String> challenges = values(challenge, "WWW-Authenticate");
        assertThat(challenges).hasSize(2);
        // Byte for byte what goes on the wire (JAIN-SIP separates the parameters with bare commas).
        String realmAndNonce = "Digest realm=\"" + Pattern.quote(TestServer.DOMAIN) + "\",nonce=\"[A-Za-z0-9_-]+\"";
        assertThat(challenges.get(0)).matches(realmAndNonce + ",algorithm=MD5,qop=\"auth\"");
        assertThat(challenges.get(1)).matches(realmAndNonce + ",algorithm=SHA-256,qop=\"auth\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void registersRefreshesAndUnregisters(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        String aor = "sip:" + ua.user() + "@" + TestServer.DOMAIN;
        Response ok = ua.register(600, "<" + ua.contact() + ">");
        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(contacts(ok)).hasSize(1);
        assertThat(contacts(ok).get(0).getExpires()).isBetween(595, 600);
        assertThat(locations.lookup(aor)).singleElement().satisfies(b -> {
            if (transport.equals("udp")) {
                assertThat(b.sourcePort()).isEqualTo(ua.port());
            }
            assertThat(b.sourceHost()).isEqualTo("127.0.0.1");
            assertThat(b.transport()).isEqualToIgnoringCase(transport);
            assertThat(b.userAgent()).isEqualTo("sip-server-test-ua");
        });

        Response refreshed = ua.register(900, "<" + ua.contact() + ">");
        assertThat(refreshed.getStatusCode()).isEqualTo(200);
        assertThat(contacts(refreshed)).singleElement().satisfies(c -> assertThat(c.getExpires()).isBetween(895, 900));

        Response second = ua.register(null, "<sip:" + ua.user() + "@127.0.0.1:5999>;expires=300;q=0.5");
        assertThat(contacts(second)).hasSize(2);
        assertThat(contacts(second).get(0).getQValue()).isEqualTo(1.0f);
        assertThat(contacts(second).get(1).getQValue()).isEqualTo(0.5f);

        Response removedOne = ua.register(null, "<sip:" + ua.user() + "@127.0.0.1:5999>;expires=0");
        assertThat(contacts(removedOne)).singleElement()
                .satisfies(c -> assertThat(c.getAddress().getURI().toString()).isEqualTo(ua.contact()));

        Response removedAll = ua.register(0, "*");
        assertThat(removedAll.getStatusCode()).isEqualTo(200);
        assertThat(contacts(removedAll)).isEmpty();
        assertThat(locations.lookup(aor)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void tooBriefIntervalGets423WithMinExpires(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        Response r = ua.register(10, "<" + ua.contact() + ">");
        assertThat(r.getStatusCode()).isEqualTo(423);
        assertThat(((MinExpiresHeader) r.getHeader(MinExpiresHeader.NAME)).getExpires()).isEqualTo(60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void wildcardWithNonZeroExpiresIs400(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        assertThat(ua.register(60, "*").getStatusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void wrongPasswordIsRefused(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "wrong-password");
        assertThat(ua.register(600, "<" + ua.contact() + ">").getStatusCode()).isEqualTo(403);
        assertThat(locations.lookup("sip:" + ua.user() + "@" + TestServer.DOMAIN)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void staleNonceIsChallengedAgainWithStaleTrue(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        Request first = ua.registerRequest(600, "<" + ua.contact() + ">");
        ua.send(first);
        Response challenge = ua.finalResponse();
        clock.advance(Duration.ofMinutes(10));
        ua.send(ua.withCredentials(first, challenge, "right-password"));
        Response stale = ua.finalResponse();
        assertThat(stale.getStatusCode()).isEqualTo(401);
        assertThat(values(stale, "WWW-Authenticate")).allSatisfy(v -> assertThat(v).endsWith(",qop=\"auth\",stale=true"));
        ua.send(ua.withCredentials(first, stale, "right-password"));
        assertThat(ua.finalResponse().getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void sha256CredentialsAreAccepted(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        Request first = ua.registerRequest(600, "<" + ua.contact() + ">");
        ua.send(first);
        Response challenge = ua.finalResponse();
        ua.send(ua.withCredentials(first, challenge, "right-password", 1));
        assertThat(ua.finalResponse().getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void userCannotRegisterAnotherUsersAor(String transport) throws Exception {
        TestUserAgent mallory = agent(transport, "right-password");
        TestUserAgent alice = agent(transport, "right-password");
        // Mallory authenticates as herself but asks for alice's address-of-record.
        Request r = alice.registerRequest(600, "<" + mallory.contact() + ">");
        alice.send(r);
        Response challenge = alice.finalResponse();
        Request forged = alice.withCredentials(r, challenge, "right-password");
        String auth = forged.getHeader("Authorization").toString();
        String value = auth.substring(auth.indexOf(':') + 1).trim()
                .replace("username=\"" + alice.user() + "\"", "username=\"" + mallory.user() + "\"");
        // Recompute the response for mallory's credentials so that only the AOR check can refuse it.
        String nonce = value.replaceAll(".*nonce=\"([^\"]*)\".*", "$1");
        String cnonce = value.replaceAll(".*cnonce=\"([^\"]*)\".*", "$1");
        String resp = TestUserAgent.digestResponse("MD5", mallory.user(), TestServer.DOMAIN, "right-password",
                "REGISTER", "sip:" + TestServer.DOMAIN, nonce, "00000001", cnonce);
        value = value.replaceAll("response=\"[^\"]*\"", "response=\"" + resp + "\"");
        forged.setHeader(alice.headers().createHeader("Authorization", value));
        alice.send(forged);
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void optionsToTheServerIsAnswered(String transport) throws Exception {
        TestUserAgent ua = agent(transport, "right-password");
        Request options = ua.request(Request.OPTIONS, "sip:" + TestServer.DOMAIN, "sip:" + TestServer.DOMAIN,
                TestUserAgent.newCallId());
        ua.send(options);
        assertThat(ua.finalResponse().getStatusCode()).isEqualTo(200);
    }
}
