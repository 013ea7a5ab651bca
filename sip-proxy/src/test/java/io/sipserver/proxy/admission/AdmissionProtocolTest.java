package io.sipserver.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.admission.CallAdmission;
import io.sipserver.admission.Location;
import io.sipserver.admission.LocationDirectory;
import io.sipserver.admission.Reservation;
import io.sipserver.admission.ReservationBook;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.WarningHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bandwidth admission in the signalling path, over real UDP. Every test phone is on 127.0.0.1, so all of them are
 * in the location "site" (127.0.0.0/8); with the relay in the path each call charges the site twice (caller leg
 * and callee leg): G.711 = 2 x 80 kbps, G.729 = 2 x 24 kbps.
 */
@ServerTest
class AdmissionProtocolTest {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String PASSWORD = "pw";
    private static final String SITE = "site";
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.trusted-peers", () -> "127.0.0.0/8");
    }

    @Autowired
    UserService users;
    @Autowired
    LocationDirectory locations;
    @Autowired
    ReservationBook reservations;
    @Autowired
    CallAdmission admission;
    @Autowired
    CallRegistry calls;
    @Autowired
    MutableClock clock;

    private final List<TestUserAgent> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        agents.parallelStream().forEach(TestUserAgent::close);
        calls.endAll("test over");
        reservations.list(null).forEach(r -> reservations.delete(r.id()));
    }

    private void budget(long kbps) {
        Location site = new Location(SITE, List.of("127.0.0.0/8"), kbps);
        if (locations.find(SITE).isPresent()) {
            locations.update(site);
        } else {
            locations.create(site);
        }
    }

    private TestUserAgent phone(String name) throws Exception {
        String user = name + USERS.incrementAndGet();
        users.create(user, PASSWORD);
        TestUserAgent ua = new TestUserAgent(user, PASSWORD, TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp");
        agents.add(ua);
        assertThat(ua.register(600, "<" + ua.contact() + ">").getStatusCode()).isEqualTo(200);
        return ua;
    }

    static String sdp(String codec) {
        String pt = codec.equals("G729") ? "18" : "0";
        return LoopbackSdp.audio(4000, pt, "rtpmap:" + pt + " " + codec + "/8000", "ptime:20");
    }

    /** An established call: what both ends need to continue it. */
    record Call(TestUserAgent caller, TestUserAgent callee, Request invite, Response ok) {
    }

    private Call call(TestUserAgent caller, TestUserAgent callee, String codec) throws Exception {
        Request invite = caller.invite(callee.user(), sdp(codec));
        caller.send(invite);
        RequestEvent incoming = callee.awaitRequest(Request.INVITE);
        callee.reply(incoming, 200, sdp(codec));
        Response ok = caller.awaitStatus(200);
        caller.ack(ok, invite);
        callee.awaitRequest(Request.ACK);
        return new Call(caller, callee, invite, ok);
    }

    private Response refusedCall(TestUserAgent caller, TestUserAgent callee, String codec) throws Exception {
        caller.send(caller.invite(callee.user(), sdp(codec)));
        Response r = caller.finalResponse();
        assertThat(callee.noRequestWithin(Duration.ofMillis(200))).as("nothing forwarded").isTrue();
        return r;
    }

    private void hangUp(Call c) throws Exception {
        c.caller().send(c.caller().inDialog(Request.BYE, c.ok(), c.invite(), 99));
        c.callee().reply(c.callee().awaitRequest(Request.BYE), 200, null);
        c.caller().awaitStatus(200);
    }

    private double used() {
        return admission.usage(SITE).usedKbps();
    }

    private static void assertInsufficientBandwidth(Response r) {
        assertThat(r.getStatusCode()).isEqualTo(488);
        WarningHeader w = (WarningHeader) r.getHeader(WarningHeader.NAME);
        assertThat(w).as("Warning header").isNotNull();
        assertThat(w.getCode()).isEqualTo(370);
        assertThat(w.getText()).isEqualTo("Insufficient bandwidth");
    }

    @Test
    void callsAreAdmittedWhileTheyFitTheSiteBudget() throws Exception {
        budget(368); // two G.711 calls (320) and one G.729 call (48)
        Call first = call(phone("a"), phone("b"), "PCMU");
        Call second = call(phone("c"), phone("d"), "PCMU");
        assertThat(used()).isEqualTo(320.0);

        assertInsufficientBandwidth(refusedCall(phone("e"), phone("f"), "PCMU"));

        Call g729 = call(phone("g"), phone("h"), "G729");
        assertThat(used()).isEqualTo(368.0);

        // A re-INVITE to G.711 would need 112 kbps more: refused, and the call stays up on G.729.
        Request bigger = g729.caller().inDialog(Request.INVITE, g729.ok(), g729.invite(), 10);
        bigger.setContent(sdp("PCMU"), g729.caller().sdpType());
        g729.caller().send(bigger);
        assertInsufficientBandwidth(g729.caller().finalResponse());
        assertThat(used()).isEqualTo(368.0);
        assertThat(calls.find(((CallIdHeader) g729.ok().getHeader(CallIdHeader.NAME)).getCallId())).isPresent();

        hangUp(first);
        assertThat(used()).isEqualTo(208.0);
        Call third = call(phone("i"), phone("j"), "PCMU");
        assertThat(used()).isEqualTo(368.0);

        hangUp(second);
        hangUp(third);
        hangUp(g729);
        assertThat(used()).isZero();
        assertThat(admission.liveCalls()).isZero();
    }

    @Test
    void aReservationBlocksOthersAndServesItsOwner() throws Exception {
        budget(320);
        TestUserAgent carol = phone("carol");
        Reservation r = reservations.create(SITE, 160, carol.user(), clock.instant().minusSeconds(60),
                clock.instant().plus(Duration.ofHours(1)));
        Call ordinary = call(phone("k"), phone("l"), "PCMU");
        assertInsufficientBandwidth(refusedCall(phone("m"), phone("n"), "PCMU"));
        Call carols = call(carol, phone("o"), "PCMU");
        assertThat(used()).isEqualTo(320.0);
        hangUp(ordinary);
        hangUp(carols);
        assertThat(used()).isZero();
        assertThat(r.id()).isNotBlank();
    }
}
