package io.sipserver.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipserver.config.DigestAlgorithm;
import io.sipserver.proxy.observability.SipMethod;
import io.sipserver.proxy.observability.SipTrafficCounts;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import io.sipserver.registrar.auth.DigestHashes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Digest challenges are sent without a server transaction, as Kamailio's sl_send_reply does, over real sockets: the
 * 401 and the 407 leave no transaction in the stack, a retransmission is challenged afresh, the answer goes where
 * the top Via's received/rport point, the ACK for a 407 is dropped, and the authenticated request that follows is
 * served statefully. So do the other answers given before a request has any state here: keep-alives and refusals.
 */
@ServerTest
class StatelessChallengeProtocolTest {

    private static final String PASSWORD = "pw-" + System.nanoTime();
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
    }

    @Autowired
    UserService users;

    @Autowired
    SipStackRuntime stack;

    @Autowired
    SipTrafficCounts traffic;

    @Autowired
    LocationService locations;

    private final List<TestUserAgent> agents = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void closeAgents() {
        root().detachAppender(logged);
        agents.parallelStream().forEach(TestUserAgent::close);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private String newUser() {
        String name = "sc" + Long.toHexString(System.nanoTime());
        users.create(name, PASSWORD);
        return name;
    }

    private TestUserAgent agent(String user, String transport) throws Exception {
        TestUserAgent ua = new TestUserAgent(user, PASSWORD, TestServer.DOMAIN, "127.0.0.1:" + sipPort, transport);
        agents.add(ua);
        return ua;
    }

    @Test
    void aRetransmittedRegisterIsChallengedAgainWithAnotherNonceAtItsSourcePort() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            // The Via names an address and port where nobody listens, as a phone behind NAT does: with rport the
            // answer must go to the source address and port instead.
            String register = register(newUser(), "SIP/2.0/UDP 127.0.0.9:5999;rport");

            SIPResponse first = sendAndReceive(udp, register);
            SIPResponse again = sendAndReceive(udp, register);

            assertThat(first.getStatusCode()).isEqualTo(401);
            assertThat(again.getStatusCode()).isEqualTo(401);
            assertThat(nonce(again)).isNotEqualTo(nonce(first));
            Via via = first.getTopmostVia();
            assertThat(via.getReceived()).isEqualTo("127.0.0.1");
            assertThat(via.getRPort()).isEqualTo(udp.getLocalPort());
            assertThat(stack.hasServerTransaction(parse(register))).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void theChallengeLeavesNoTransactionAndTheAuthenticatedRegisterIsServedStatefully(String transport)
            throws Exception {
        TestUserAgent ua = agent(newUser(), transport);
        Request register = ua.registerRequest(600, "<" + ua.contact() + ">");
        ClientTransaction challenged = ua.send(register);
        Response challenge = ua.finalResponse();
        assertThat(challenge.getStatusCode()).isEqualTo(401);
        assertThat(stack.hasServerTransaction((SIPRequest) challenged.getRequest())).isFalse();

        ClientTransaction authenticated = ua.send(ua.withCredentials(register, challenge, PASSWORD));

        assertThat(ua.finalResponse().getStatusCode()).isEqualTo(200);
        // Over UDP served from its bytes, its answer kept for retransmissions (see the next test); over TCP there
        // are none, and Timer J is zero.
        assertThat(stack.hasServerTransaction((SIPRequest) authenticated.getRequest())).isFalse();
    }

    @Test
    void anAuthenticatedRegisterOverUdpIsServedOnceAndItsRetransmissionGetsTheSameAnswer() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String user = newUser();
            String authorized = withCredentials(udp, user);

            SIPResponse answer = sendAndReceive(udp, authorized);
            long registrationsAfterFirst = traffic.requestsReceived(SipMethod.REGISTER);
            SIPResponse again = sendAndReceive(udp, authorized);

            assertThat(answer.getStatusCode()).isEqualTo(200);
            assertThat(again.encode()).as("the retransmission's answer").isEqualTo(answer.encode());
            assertThat(answer.getTopmostVia().getRPort()).isEqualTo(udp.getLocalPort());
            ContactHeader contact = (ContactHeader) answer.getHeader(ContactHeader.NAME);
            assertThat(contact.getAddress().getURI().toString()).isEqualTo("sip:" + user + "@127.0.0.9:5999");
            assertThat(contact.getExpires()).isBetween(590, 600);
            assertThat(answer.getHeader("Date")).isNotNull();
            assertThat(locations.lookup("sip:" + user + "@" + TestServer.DOMAIN)).singleElement()
                    .satisfies(b -> assertThat(b.sourcePort()).isEqualTo(udp.getLocalPort()));
            assertThat(traffic.requestsReceived(SipMethod.REGISTER)).as("REGISTERs counted")
                    .isEqualTo(registrationsAfterFirst + 1);
        }
    }

    @Test
    void aRegisterWithWrongCredentialsOverUdpIsRefusedAsBefore() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String user = newUser();
            String wrong = withCredentials(udp, user).replace("response=\"", "response=\"0");

            SIPResponse answer = sendAndReceive(udp, wrong);

            assertThat(answer.getStatusCode()).isEqualTo(403);
            assertThat(locations.lookup("sip:" + user + "@" + TestServer.DOMAIN)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1}, Max-Forwards {2}: {3}")
    @CsvSource({
        "OPTIONS, sip:SELF, 70, 200",            // keep-alive to the server
        "INVITE, sip:bob@example.net, 70, 403",  // a domain we do not serve
        "INVITE, sip:SELF, 70, 404",             // no user in the Request-URI
        "INVITE, sip:bob@DOMAIN, 0, 483"})       // no hops left
    void keepAlivesAndEarlyRefusalsLeaveNoTransaction(String method, String uri, int maxForwards, int status)
            throws Exception {
        TestUserAgent ua = agent(newUser(), "udp");
        String target = uri.replace("SELF", "127.0.0.1:" + sipPort).replace("DOMAIN", TestServer.DOMAIN);
        Request request = ua.request(method, target, target, TestUserAgent.newCallId());
        ua.maxForwards(request, maxForwards);

        ClientTransaction sent = ua.send(request);

        assertThat(ua.finalResponse().getStatusCode()).isEqualTo(status);
        assertThat(stack.hasServerTransaction((SIPRequest) sent.getRequest())).isFalse();
    }

    @Test
    void theAckForA407IsDroppedAndTheAuthenticatedInviteIsForwarded() throws Exception {
        TestUserAgent callee = agent(newUser(), "udp");
        assertThat(callee.register(600, "<" + callee.contact() + ">").getStatusCode()).isEqualTo(200);
        TestUserAgent caller = agent(newUser(), "udp");
        long acksBefore = traffic.requestsReceived(SipMethod.ACK);

        // Addressed to the server's own address and port: an ACK it routed like an in-dialog one (it carries the
        // 407's To tag and the caller's Route to the server) would come straight back to it, again and again.
        Request invite = caller.request(Request.INVITE, "sip:" + callee.user() + "@127.0.0.1:" + sipPort,
                "sip:" + callee.user() + "@" + TestServer.DOMAIN, TestUserAgent.newCallId());
        ClientTransaction challenged = caller.send(invite);
        Response challenge = caller.finalResponse();

        assertThat(challenge.getStatusCode()).isEqualTo(407);
        assertThat(stack.hasServerTransaction((SIPRequest) challenged.getRequest())).isFalse();
        // The caller's INVITE transaction acknowledges the 407 on its own; the server counts the ACK, then drops it.
        awaitAcksReceived(acksBefore + 1);
        assertThat(callee.noRequestWithin(Duration.ofMillis(500))).as("ACK forwarded to the callee").isTrue();
        assertThat(traffic.requestsReceived(SipMethod.ACK)).as("ACKs received").isEqualTo(acksBefore + 1);
        assertThat(caller.noResponseWithin(Duration.ZERO)).as("the ACK answered").isTrue();
        assertThat(logged.list).as("messages logged about the ACK")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));

        caller.send(caller.withCredentials(invite, challenge, PASSWORD));

        assertThat(callee.awaitRequest(Request.INVITE).getRequest().getMethod()).isEqualTo(Request.INVITE);
    }

    private void awaitAcksReceived(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (traffic.requestsReceived(SipMethod.ACK) < count) {
            assertThat(System.nanoTime()).as("ACK for the 407 received by the server").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static String register(String user, String via) {
        long id = ThreadLocalRandom.current().nextLong() >>> 1;
        return "REGISTER sip:" + TestServer.DOMAIN + " SIP/2.0\r\n"
                + "Via: " + via + ";branch=z9hG4bK-sc" + Long.toHexString(id) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@" + TestServer.DOMAIN + ">;tag=" + Long.toHexString(id) + "\r\n"
                + "To: <sip:" + user + "@" + TestServer.DOMAIN + ">\r\n"
                + "Call-ID: sc-" + Long.toHexString(id) + "@test\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.9:5999>\r\n"
                + "Expires: 600\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /**
     * Sends the request as a UDP client does, again every T1 (500 ms) until an answer arrives. The stack drops a copy
     * that arrives while the listener still handles an earlier one (its "pending transaction"), and the answer can
     * reach us before that listener has returned: only a later retransmission is then answered.
     */
    private SIPResponse sendAndReceive(DatagramSocket udp, String request) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        DatagramPacket in = new DatagramPacket(new byte[8192], 8192);
        udp.setSoTimeout(500);
        for (int attempt = 1; ; attempt++) {
            udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort));
            try {
                udp.receive(in);
                return (SIPResponse) new StringMsgParser().parseSIPMessage(
                        Arrays.copyOf(in.getData(), in.getLength()), true, false, null);
            } catch (SocketTimeoutException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * A REGISTER from {@code user}, behind NAT (rport), sent on {@code udp} to be challenged, then again with
     * another branch, the next CSeq and MD5 credentials for the challenge's nonce; returns the latter, not sent.
     */
    private String withCredentials(DatagramSocket udp, String user) throws Exception {
        String register = register(user, "SIP/2.0/UDP 127.0.0.9:5999;rport");
        String nonce = nonce(sendAndReceive(udp, register));
        String uri = "sip:" + TestServer.DOMAIN;
        String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String ha1 = DigestHashes.ha1(DigestAlgorithm.MD5, user, TestServer.DOMAIN, PASSWORD);
        String response = DigestHashes.response(DigestAlgorithm.MD5, ha1, nonce, "00000001", cnonce, "auth",
                Request.REGISTER, uri);
        return register.replace(";branch=z9hG4bK-sc", ";branch=z9hG4bK-auth").replace("CSeq: 1 ", "CSeq: 2 ")
                .replace("Content-Length: 0", "Authorization: Digest username=\"" + user + "\",realm=\""
                        + TestServer.DOMAIN + "\",nonce=\"" + nonce + "\",uri=\"" + uri + "\",response=\""
                        + response + "\",algorithm=MD5,qop=auth,nc=00000001,cnonce=\"" + cnonce + "\"\r\n"
                        + "Content-Length: 0");
    }

    private static SIPRequest parse(String request) throws Exception {
        return (SIPRequest) new StringMsgParser().parseSIPMessage(request.getBytes(StandardCharsets.US_ASCII), true,
                false, null);
    }

    private static String nonce(Response challenge) {
        Matcher m = NONCE.matcher(challenge.getHeader("WWW-Authenticate").toString());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
