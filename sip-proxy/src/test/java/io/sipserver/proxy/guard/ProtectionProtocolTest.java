package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.RequestEvent;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Flood limit and failed-auth lock-out over real sockets. Loopback is not exempt here, and each agent binds an
 * address of its own in 127.0.0.0/8, so the server sees distinct sources.
 */
@ServerTest
class ProtectionProtocolTest {

    private static final int MAX_REQUESTS = 50;
    private static final Duration FLOOD_COOL_DOWN = Duration.ofSeconds(60);
    private static final Duration LOCK_COOL_DOWN = Duration.ofMinutes(2);
    private static final Duration FAILURE_DELAY = Duration.ofMillis(300);
    private static final String PASSWORD = "right-password";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.flood.exempt", () -> "");
        registry.add("sip.flood.max-requests", () -> MAX_REQUESTS);
        registry.add("sip.flood.window", () -> "10s");
        registry.add("sip.flood.cool-down", () -> FLOOD_COOL_DOWN.toString());
        registry.add("sip.auth-guard.max-failures", () -> 3);
        registry.add("sip.auth-guard.cool-down", () -> LOCK_COOL_DOWN.toString());
        registry.add("sip.auth-guard.failure-delay", () -> FAILURE_DELAY.toString());
    }

    @Autowired
    UserService users;

    @Autowired
    MutableClock clock;

    private final List<TestUserAgent> agents = new ArrayList<>();

    @AfterEach
    void closeAgents() {
        agents.parallelStream().forEach(TestUserAgent::close);
    }

    private String newUser() {
        String name = "guard" + USERS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffff);
        users.create(name, PASSWORD);
        return name;
    }

    private TestUserAgent agent(String user, String password, String transport, String localAddress) throws Exception {
        TestUserAgent ua = new TestUserAgent(user, password, TestServer.DOMAIN, "127.0.0.1:" + sipPort, transport,
                localAddress);
        agents.add(ua);
        return ua;
    }

    private static Request options(TestUserAgent ua) throws Exception {
        String server = "sip:" + TestServer.DOMAIN;
        return ua.request(Request.OPTIONS, server, server, TestUserAgent.newCallId());
    }

    /** Responses that arrive until none has come for a second. */
    private static int responsesUntilQuiet(TestUserAgent ua) throws InterruptedException {
        int n = 0;
        while (!ua.noResponseWithin(Duration.ofSeconds(1))) {
            ua.nextResponse();
            n++;
        }
        return n;
    }

    @Test
    void aFloodingAddressIsCutOffWhileAnotherAddressRegistersAndCalls() throws Exception {
        // TCP, so that none of the flood is lost before it reaches the limiter.
        TestUserAgent flooder = agent(newUser(), PASSWORD, "tcp", "127.0.0.2");
        for (int i = 0; i < 300; i++) {
            flooder.send(options(flooder));
        }
        int answered = responsesUntilQuiet(flooder);
        assertThat(answered).as("answers to 300 OPTIONS").isPositive().isLessThanOrEqualTo(MAX_REQUESTS);
        flooder.send(options(flooder));
        assertThat(flooder.noResponseWithin(Duration.ofSeconds(2))).as("still cut off").isTrue();

        TestUserAgent alice = agent(newUser(), PASSWORD, "udp", "127.0.0.3");
        TestUserAgent bob = agent(newUser(), PASSWORD, "udp", "127.0.0.3");
        assertThat(alice.register(600, "<" + alice.contact() + ">").getStatusCode()).isEqualTo(200);
        assertThat(bob.register(600, "<" + bob.contact() + ">").getStatusCode()).isEqualTo(200);
        Request invite = alice.inviteWithAuth(bob.user(), SDP);
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        bob.reply(incoming, 200, SDP);
        Response ok = alice.awaitStatus(200);
        alice.ack(ok, invite);
        alice.send(alice.inDialog(Request.BYE, ok, invite, 100));
        bob.reply(bob.awaitRequest(Request.BYE), 200, null);
        assertThat(alice.awaitStatus(200).getHeader("CSeq").toString()).contains("BYE");

        clock.advance(FLOOD_COOL_DOWN);
        flooder.send(options(flooder));
        assertThat(flooder.awaitStatus(200)).as("served again after the cool-down").isNotNull();
    }

    @Test
    void wrongPasswordsLockTheUserOutAtThatAddressOnly() throws Exception {
        String carol = newUser();
        TestUserAgent guesser = agent(carol, "wrong-password", "udp", "127.0.0.4");
        assertThat(guesser.register(600, "<" + guesser.contact() + ">").getStatusCode()).isEqualTo(403);
        assertThat(guesser.register(600, "<" + guesser.contact() + ">").getStatusCode()).isEqualTo(403);
        long start = System.nanoTime();
        assertThat(guesser.register(600, "<" + guesser.contact() + ">").getStatusCode()).isEqualTo(403);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the third refusal is held back")
                .isGreaterThanOrEqualTo(FAILURE_DELAY.multipliedBy(2));

        TestUserAgent rightPasswordSameAddress = agent(carol, PASSWORD, "udp", "127.0.0.4");
        Response locked = rightPasswordSameAddress.register(600, "<" + rightPasswordSameAddress.contact() + ">");
        assertThat(locked.getStatusCode()).isEqualTo(403);
        assertThat(locked.getReasonPhrase()).contains("too many failed attempts");
        RetryAfterHeader retryAfter = (RetryAfterHeader) locked.getHeader(RetryAfterHeader.NAME);
        assertThat(retryAfter).isNotNull();
        assertThat(retryAfter.getRetryAfter()).isBetween(1, (int) LOCK_COOL_DOWN.toSeconds());

        TestUserAgent home = agent(carol, PASSWORD, "udp", "127.0.0.5");
        assertThat(home.register(600, "<" + home.contact() + ">").getStatusCode()).as("carol from elsewhere")
                .isEqualTo(200);

        clock.advance(LOCK_COOL_DOWN);
        assertThat(rightPasswordSameAddress.register(600, "<" + rightPasswordSameAddress.contact() + ">")
                .getStatusCode()).as("after the cool-down").isEqualTo(200);
    }

    @Test
    void lateCopiesOfAnAcceptedRegisterAreChallengedAgainAndLockNobodyOut() throws Exception {
        // Over TCP the server transaction ends with its 200, so every copy arrives as new, as a UDP phone's
        // retransmissions do once Timer J (5 s) is over while its Timer F (32 s) still runs: its 200 was lost.
        TestUserAgent phone = agent(newUser(), PASSWORD, "tcp", "127.0.0.8");
        Request register = phone.registerRequest(600, "<" + phone.contact() + ">");
        phone.send(register);
        Request authenticated = phone.withCredentials(register, phone.finalResponse(), PASSWORD);
        phone.send(authenticated);
        assertThat(phone.finalResponse().getStatusCode()).isEqualTo(200);

        for (int copy = 1; copy <= 4; copy++) { // max-failures is 3
            Request late = (Request) authenticated.clone();
            ((ViaHeader) late.getHeader(ViaHeader.NAME)).removeParameter("branch");
            phone.send(late);
            Response answer = phone.finalResponse();
            assertThat(answer.getStatusCode()).as("copy %d", copy).isEqualTo(401);
            assertThat(answer.getHeader(WWWAuthenticateHeader.NAME).toString()).as("copy %d", copy)
                    .containsIgnoringCase("stale=true");
        }

        assertThat(phone.register(600, "<" + phone.contact() + ">").getStatusCode()).as("the phone registers again")
                .isEqualTo(200);
    }

    @Test
    void anUnknownUserAndAKnownUserWithAWrongPasswordGetTheSameAnswers() throws Exception {
        TestUserAgent wrongPassword = agent(newUser(), "wrong-password", "udp", "127.0.0.6");
        TestUserAgent unknownUser = agent("nobody" + USERS.incrementAndGet(), PASSWORD, "udp", "127.0.0.7");

        // max-failures is 3: three refusals, the later ones held back, then the lock-out.
        for (int attempt = 1; attempt <= 4; attempt++) {
            Attempt known = attempt(wrongPassword);
            Attempt unknown = attempt(unknownUser);

            assertThat(unknown.challenge()).as("challenge, attempt %d", attempt).isEqualTo(known.challenge());
            assertThat(unknown.refusal()).as("refusal, attempt %d", attempt).isEqualTo(known.refusal());
            if (attempt <= 3) {
                Duration heldBack = FAILURE_DELAY.multipliedBy(attempt - 1);
                assertThat(known.took()).as("wrong password, attempt %d", attempt).isGreaterThanOrEqualTo(heldBack);
                assertThat(unknown.took()).as("unknown user, attempt %d", attempt).isGreaterThanOrEqualTo(heldBack);
            }
        }
        assertThat(attempt(unknownUser).refusal()).contains("too many failed attempts");
    }

    /** What a REGISTER with credentials gets: the challenge and the refusal, without what differs per request. */
    private record Attempt(String challenge, String refusal, Duration took) {
    }

    private static Attempt attempt(TestUserAgent ua) throws Exception {
        Request register = ua.registerRequest(600, "<" + ua.contact() + ">");
        ua.send(register);
        Response challenge = ua.finalResponse();
        Request withCredentials = ua.withCredentials(register, challenge, "wrong-password");
        long start = System.nanoTime();
        ua.send(withCredentials);
        Response refusal = ua.finalResponse();
        return new Attempt(shape(challenge), shape(refusal), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Status, reason phrase and header names; Retry-After's presence (its value counts down). */
    private static String shape(Response r) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<?> it = r.getHeaderNames(); it.hasNext(); ) {
            names.add(String.valueOf(it.next()).toLowerCase());
        }
        return r.getStatusCode() + " " + r.getReasonPhrase() + " " + names;
    }
}
