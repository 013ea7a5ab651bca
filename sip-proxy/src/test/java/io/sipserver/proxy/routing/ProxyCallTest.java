package io.sipserver.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallState;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** RFC 3261 sections 16 and 17 through the running proxy, with JAIN-SIP user agents over real UDP and TCP. */
@ServerTest
class ProxyCallTest {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String PASSWORD = "pw-" + System.nanoTime();
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.timer-c", () -> "3s");
        registry.add("registrar.sweep-interval", () -> "500ms");
    }

    @Autowired
    UserService users;

    @Autowired
    CallRegistry calls;

    @Autowired
    SipStackRuntime stack;

    @Autowired
    MutableClock clock;

    private final List<TestUserAgent> agents = new ArrayList<>();

    @AfterEach
    void closeAgents() {
        agents.parallelStream().forEach(TestUserAgent::close);
    }

    private String newUser() {
        String name = "user" + USERS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffff);
        users.create(name, PASSWORD);
        return name;
    }

    private TestUserAgent agent(String user, String transport) throws Exception {
        TestUserAgent ua = new TestUserAgent(user, PASSWORD, TestServer.DOMAIN, "127.0.0.1:" + sipPort, transport);
        agents.add(ua);
        return ua;
    }

    private TestUserAgent registered(String user, String transport) throws Exception {
        TestUserAgent ua = agent(user, transport);
        assertThat(ua.register(600, "<" + ua.contact() + ">").getStatusCode()).isEqualTo(200);
        return ua;
    }

    static String sdp(int port, String direction) {
        return LoopbackSdp.audio(port, "0 101", "rtpmap:0 PCMU/8000", "rtpmap:101 telephone-event/8000", direction);
    }

    private static String body(javax.sip.message.Message m) {
        byte[] raw = m.getRawContent();
        return raw == null ? "" : new String(raw);
    }

    private record Answered(TestUserAgent caller, TestUserAgent callee, Request invite, Response ok) {
    }

    /** Two registered UDP users; the first calls the second, who answers 200 (not acknowledged yet). */
    private Answered answeredCall() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        Request invite = alice.inviteWithAuth(bob.user(), sdp(4000, "sendrecv"));
        bob.reply(bob.awaitRequest(Request.INVITE), 200, sdp(5000, "sendrecv"));
        Response ok = alice.awaitStatus(200);
        assertThat(ok).as("200 at the caller").isNotNull();
        return new Answered(alice, bob, invite, ok);
    }

    /** Places an authenticated call and waits until the callee has the INVITE. */
    private RequestEvent ring(TestUserAgent caller, TestUserAgent callee) throws Exception {
        caller.inviteWithAuth(callee.user(), sdp(4000, "sendrecv"));
        return callee.awaitRequest(Request.INVITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void basicCallThroughTheProxyWithRecordRouteAndRelayedMedia(String transport) throws Exception {
        TestUserAgent alice = registered(newUser(), transport);
        TestUserAgent bob = registered(newUser(), transport);

        Request invite = alice.inviteWithAuth(bob.user(), sdp(4000, "sendrecv"));
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        Request atBob = incoming.getRequest();
        assertThat(atBob.getHeader(RecordRouteHeader.NAME)).as("Record-Route").isNotNull();
        assertThat(atBob.getHeader("Proxy-Authorization")).as("credentials stay at the proxy").isNull();
        assertThat(body(atBob)).as("offer rewritten towards the relay").doesNotContain("m=audio 4000 ");
        assertThat(calls.list()).singleElement().satisfies(c -> assertThat(c.relaySessionId()).isNotNull());

        bob.reply(incoming, 180, null);
        assertThat(alice.awaitStatus(180)).isNotNull();
        bob.reply(incoming, 200, sdp(5000, "sendrecv"));
        Response ok = alice.awaitStatus(200);
        assertThat(body(ok)).as("answer rewritten towards the relay").doesNotContain("m=audio 5000 ");
        alice.ack(ok, invite);
        assertThat(bob.awaitRequest(Request.ACK)).isNotNull();

        ClientTransaction bye = alice.send(alice.inDialog(Request.BYE, ok, invite, 100));
        RequestEvent byeAtBob = bob.awaitRequest(Request.BYE);
        bob.reply(byeAtBob, 200, null);
        assertThat(alice.awaitStatus(200).getHeader("CSeq").toString()).contains("BYE");
        assertThat(calls.list()).isEmpty();
        if (transport.equals("udp")) {
            // The BYE went on without transactions (its client retransmits it itself): nothing is kept for Timer J,
            // where relaying it statefully holds its server transaction for 5 s.
            assertThat(stack.hasServerTransaction((SIPRequest) bye.getRequest())).isFalse();
        }
    }

    @Test
    void inviteRetransmittedAfterItsTransactionIsGoneIsAbsorbedByTheLiveCall() throws Exception {
        Answered call = answeredCall();
        TestUserAgent alice = call.caller();
        TestUserAgent bob = call.callee();
        Request invite = call.invite();
        Response ok = call.ok();
        alice.ack(ok, invite);
        assertThat(bob.awaitRequest(Request.ACK)).isNotNull();
        // Once its 2xx has gone upstream, the INVITE's server transaction is forgotten (no linger) ...
        await().atMost(Duration.ofSeconds(5)).until(() -> !stack.hasServerTransaction((SIPRequest) invite));

        // ... and a late retransmission is neither offered to the callee as a new call nor answered (482).
        alice.sendStateless(invite);
        assertThat(bob.noRequestWithin(Duration.ofSeconds(1))).as("nothing forwarded").isTrue();
        assertThat(alice.noResponseWithin(Duration.ofMillis(200))).as("nothing answered").isTrue();
        assertThat(calls.list()).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(CallState.CONFIRMED));

        alice.send(alice.inDialog(Request.BYE, ok, invite, 100));
        bob.reply(bob.awaitRequest(Request.BYE), 200, null);
        assertThat(alice.awaitStatus(200)).isNotNull();
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void anAnsweredCallThatTheCallerNeverAcknowledgesIsForgottenAfterTheAckTimeout() throws Exception {
        String callId = ((CallIdHeader) answeredCall().invite().getHeader(CallIdHeader.NAME)).getCallId();
        assertThat(calls.find(callId)).as("answered").hasValueSatisfying(c -> assertThat(c.state())
                .isEqualTo(CallState.CONFIRMED));

        // No ACK: the caller gave up on the call. Without the ACK limit it would stay until sip.dialog-timeout (12 h).
        clock.advance(Duration.ofSeconds(20));
        Thread.sleep(1000);
        assertThat(calls.find(callId)).as("kept within sip.ack-timeout (32 s)").isPresent();
        clock.advance(Duration.ofSeconds(13));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.find(callId).isEmpty());
    }

    @Test
    void busyCalleeIsPassedThrough() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        RequestEvent incoming = ring(alice, bob);
        bob.reply(incoming, 486, null);
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(486);
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void unansweredCallEndsWith408AfterTimerC() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        RequestEvent incoming = ring(alice, bob);
        bob.reply(incoming, 180, null);
        assertThat(alice.awaitStatus(180)).isNotNull();
        // Timer C is 3 s here: the proxy cancels the branch and answers 408.
        assertThat(bob.awaitRequest(Request.CANCEL)).isNotNull();
        assertThat(alice.finalResponse(Duration.ofSeconds(15)).getStatusCode()).isEqualTo(408);
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void cancelBeforeAnswerCancelsTheBranchAndEndsWith487() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        Request invite = alice.inviteWithAuth(bob.user(), sdp(4000, "sendrecv"));
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        bob.reply(incoming, 180, null);
        alice.awaitStatus(180);
        ClientTransaction inviteTx = alice.lastClientTransaction();
        alice.send(inviteTx.createCancel());
        RequestEvent cancel = bob.awaitRequest(Request.CANCEL);
        bob.reply(cancel, 200, null);
        bob.reply(incoming, 487, null);
        assertThat(alice.awaitStatus(487)).isNotNull();
        assertThat(invite).isNotNull();
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void forksToEveryContactAndCancelsTheOthersWhenOneAnswers() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        String bobName = newUser();
        TestUserAgent deskPhone = registered(bobName, "udp");
        TestUserAgent softPhone = agent(bobName, "udp");
        assertThat(softPhone.register(600, "<" + softPhone.contact() + ">").getStatusCode()).isEqualTo(200);

        Request invite = alice.inviteWithAuth(bobName, sdp(4000, "sendrecv"));
        RequestEvent atDesk = deskPhone.awaitRequest(Request.INVITE);
        RequestEvent atSoft = softPhone.awaitRequest(Request.INVITE);
        deskPhone.reply(atDesk, 180, null);
        softPhone.reply(atSoft, 200, sdp(6000, "sendrecv"));
        Response ok = alice.awaitStatus(200);
        RequestEvent cancel = deskPhone.awaitRequest(Request.CANCEL);
        deskPhone.reply(cancel, 200, null);
        deskPhone.reply(atDesk, 487, null);
        alice.ack(ok, invite);
        assertThat(softPhone.awaitRequest(Request.ACK)).isNotNull();
        alice.send(alice.inDialog(Request.BYE, ok, invite, 50));
        softPhone.reply(softPhone.awaitRequest(Request.BYE), 200, null);
        alice.awaitStatus(200);
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void reInviteForHoldAndByeFromTheCallee() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        Request invite = alice.inviteWithAuth(bob.user(), sdp(4000, "sendrecv"));
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        Response bobOk = bob.reply(incoming, 200, sdp(5000, "sendrecv"));
        Response ok = alice.awaitStatus(200);
        alice.ack(ok, invite);
        bob.awaitRequest(Request.ACK);

        Request hold = alice.inDialog(Request.INVITE, ok, invite, 10);
        hold.setContent(sdp(4000, "sendonly"), alice.sdpType());
        alice.send(hold);
        RequestEvent holdAtBob = bob.awaitRequest(Request.INVITE);
        assertThat(body(holdAtBob.getRequest())).contains("a=sendonly");
        bob.reply(holdAtBob, 200, sdp(5000, "recvonly"));
        Response holdOk = alice.awaitStatus(200);
        assertThat(body(holdOk)).contains("a=recvonly");
        alice.ack(holdOk, invite);
        bob.awaitRequest(Request.ACK);

        bob.send(bob.calleeInDialog(Request.BYE, incoming.getRequest(), bobOk, 1));
        RequestEvent byeAtAlice = alice.awaitRequest(Request.BYE);
        alice.reply(byeAtAlice, 200, null);
        assertThat(bob.awaitStatus(200)).isNotNull();
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void unknownUserGets404() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        alice.inviteWithAuth("nobody-" + System.nanoTime(), sdp(4000, "sendrecv"));
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(404);
    }

    @Test
    void knownUserWithoutBindingGets480() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        alice.inviteWithAuth(newUser(), sdp(4000, "sendrecv"));
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(480);
    }

    @Test
    void maxForwardsZeroGets483() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        Request invite = alice.invite(bob.user(), sdp(4000, "sendrecv"));
        alice.maxForwards(invite, 0);
        alice.send(invite);
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(483);
    }

    @Test
    void foreignDomainIsRefused() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        Request invite = alice.request(Request.INVITE, "sip:someone@elsewhere.example", "sip:someone@elsewhere.example",
                TestUserAgent.newCallId());
        alice.send(invite);
        assertThat(alice.finalResponse().getStatusCode()).isEqualTo(403);
    }

    @Test
    void unauthenticatedInviteIsChallengedWith407() throws Exception {
        TestUserAgent alice = registered(newUser(), "udp");
        TestUserAgent bob = registered(newUser(), "udp");
        alice.send(alice.invite(bob.user(), sdp(4000, "sendrecv")));
        Response challenge = alice.finalResponse();
        assertThat(challenge.getStatusCode()).isEqualTo(407);
        assertThat(challenge.getHeader("Proxy-Authenticate")).isNotNull();
        assertThat(bob.noRequestWithin(Duration.ofMillis(300))).isTrue();
    }
}
