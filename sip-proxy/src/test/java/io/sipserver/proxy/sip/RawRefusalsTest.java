package io.sipserver.proxy.sip;

import static io.sipserver.proxy.sip.RawRefusals.Disposition.DONE;
import static io.sipserver.proxy.sip.RawRefusals.Disposition.QUEUE;
import static io.sipserver.proxy.sip.RawRefusals.Disposition.QUEUE_AS_NEW_WORK;
import static io.sipserver.proxy.sip.RawRefusals.Disposition.QUEUE_UNPARSED;
import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.registrar.auth.DigestChallenge;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader's decisions, with a guard set by the test and loopback sockets. */
class RawRefusalsTest {

    private static final GuardVerdict BUSY = GuardVerdict.refuse(503, 2, "Overloaded");

    private GuardVerdict verdict = GuardVerdict.PASS;
    private final Set<String> serverTransactions = new HashSet<>();
    private final List<String> counted = new ArrayList<>();
    private final RawRefusals refusals = new RawRefusals(4096, serverTransactions::contains);
    private final DatagramSocket server;
    private final DatagramSocket client;
    private final SipTraffic traffic;

    RawRefusalsTest() throws Exception {
        server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(5_000);
        refusals.refuseWith(new NewWorkGuard() {
            @Override
            public GuardVerdict newWorkVerdict() {
                return verdict;
            }

            @Override
            public GuardVerdict check(SIPRequest request, InetAddress source) {
                throw new AssertionError("the valve's check is not the reader's");
            }

            @Override
            public String name() {
                return "TestGuard";
            }
        });
        traffic = new SipTraffic() {
            @Override
            public void requestReceived(SIPRequest request) {
                counted.add("parsed " + request.getMethod());
            }

            @Override
            public void responseReceived(SIPResponse response) {
                counted.add("response received");
            }

            @Override
            public void responseSent(Response response) {
                counted.add("parsed response sent");
            }

            @Override
            public void guardStopped(String guard, GuardVerdict stopped) {
                counted.add(guard + " " + stopped.status());
            }

            @Override
            public void rawRequestReceived(String method) {
                counted.add(method);
            }

            @Override
            public void rawResponseSent(String method, int status) {
                counted.add(status + " " + method);
            }
        };
        refusals.countWith(traffic);
    }

    @AfterEach
    void close() {
        server.close();
        client.close();
    }

    @Test
    void newWorkIsQueuedAsSuchWhileTheGuardPasses() {
        assertThat(handled(request("INVITE", "b1", null))).isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(request("REGISTER", "b2", null))).isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(request("INVITE", "b3", "callee-tag"))).as("re-INVITE").isEqualTo(QUEUE);
        assertThat(handled(request("BYE", "b4", "callee-tag"))).isEqualTo(QUEUE);
        assertThat(counted).isEmpty();
    }

    @Test
    void whileTheGuardRefusesANewInviteOrRegisterIsAnsweredAndCounted() throws Exception {
        verdict = BUSY;
        assertThat(handled(request("INVITE", "b1", null))).isEqualTo(DONE);
        String refusal = receive();
        assertThat(refusal).startsWith("SIP/2.0 503 Overloaded\r\n").contains("\r\nRetry-After: 2\r\n")
                .contains(";tag=rf-").contains("\r\nCSeq: 1 INVITE\r\n");
        assertThat(handled(request("REGISTER", "b2", null))).isEqualTo(DONE);
        assertThat(receive()).startsWith("SIP/2.0 503 Overloaded\r\n").contains("\r\nCSeq: 1 REGISTER\r\n");
        assertThat(counted).containsExactly("TestGuard 503", "INVITE", "503 INVITE",
                "TestGuard 503", "REGISTER", "503 REGISTER");
    }

    @Test
    void requestsOfCallsInProgressAreForTheStack() {
        verdict = BUSY;
        assertThat(handled(request("INVITE", "b1", "callee-tag"))).as("re-INVITE").isEqualTo(QUEUE);
        assertThat(handled(request("ACK", "b1", "callee-tag"))).isEqualTo(QUEUE);
        assertThat(handled(request("BYE", "b1", "callee-tag"))).isEqualTo(QUEUE);
        assertThat(counted).isEmpty();
    }

    @Test
    void aRetransmissionOfARequestTheStackHandlesIsForTheStack() {
        verdict = BUSY;
        serverTransactions.add("z9hg4bk-in-table");
        assertThat(handled(request("INVITE", "IN-table", null))).isEqualTo(QUEUE);
        assertThat(counted).isEmpty();
    }

    @Test
    void aRetransmissionOfARequestQueuedBeforeTheGuardTrippedIsForTheStack() throws Exception {
        assertThat(handled(request("INVITE", "b1", null))).isEqualTo(QUEUE_AS_NEW_WORK);
        verdict = BUSY;
        assertThat(handled(request("INVITE", "B1", null))).as("the same branch, another case").isEqualTo(QUEUE);
        assertThat(handled(request("INVITE", "b2", null))).isEqualTo(DONE);
        receive();
    }

    @Test
    void aBranchWithoutTheRfc3261CookieIsForTheStack() {
        verdict = BUSY;
        String oldStyle = request("INVITE", "b1", null).replace("branch=z9hG4bK-b1", "branch=b1");
        assertThat(handled(oldStyle)).isEqualTo(QUEUE);
    }

    @Test
    void theAckOfARefusalIsDroppedAndCountedWhateverTheGuardSays() throws Exception {
        assertThat(handled(request("ACK", "b1", "rf-3"))).isEqualTo(DONE);
        assertThat(counted).containsExactly("ACK");
        client.setSoTimeout(200);
        try {
            client.receive(new DatagramPacket(new byte[2048], 2048));
            throw new AssertionError("an ACK was answered");
        } catch (SocketTimeoutException expected) {
            // nothing sent
        }
    }

    @Test
    void aRegisterWithoutCredentialsIsChallengedEvenWhileTheOverloadGuardRefuses() throws Exception {
        challengeRegisters(GuardVerdict.PASS);
        verdict = BUSY;
        assertThat(handled(request("REGISTER", "b1", null))).isEqualTo(DONE);
        String challenge = receive();
        assertThat(challenge).startsWith("SIP/2.0 401 Unauthorized\r\n")
                .contains("\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-b1;rport=" + client.getLocalPort()
                        + ";received=127.0.0.1\r\n")
                .contains(";tag=rf-").contains("\r\nCSeq: 1 REGISTER\r\n")
                .contains("\r\nWWW-Authenticate: Digest realm=\"example.test\",nonce=\"n1\",algorithm=MD5,"
                        + "qop=\"auth\"\r\nWWW-Authenticate: Digest realm=\"example.test\",nonce=\"n1\","
                        + "algorithm=SHA-256,qop=\"auth\"\r\n")
                .endsWith("\r\nContent-Length: 0\r\n\r\n");
        assertThat(counted).containsExactly("REGISTER", "401 REGISTER");
    }

    @Test
    void aRegisterThroughAnOutboundProxyRouteIsChallengedToo() throws Exception {
        challengeRegisters(GuardVerdict.PASS);
        String register = request("REGISTER", "b1", null).replace("Content-Length: 0",
                "Route: <sip:127.0.0.1;lr>\r\nContent-Length: 0");
        assertThat(handled(register)).isEqualTo(DONE);
        assertThat(receive()).startsWith("SIP/2.0 401 Unauthorized\r\n");
    }

    @Test
    void theChallengeParsesAsTheResponseToTheRegister() throws Exception {
        challengeRegisters(GuardVerdict.PASS);
        handled(request("REGISTER", "b1", null));
        byte[] bytes = receive().getBytes(StandardCharsets.US_ASCII);
        SIPResponse response = (SIPResponse) SipMessageParser.INSTANCE.parseSIPMessage(bytes, true, false, null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders("WWW-Authenticate")).toIterable().hasSize(2);
        assertThat(response.getTopmostVia().getBranch()).isEqualTo("z9hG4bK-b1");
        assertThat(response.getCallId().getCallId()).isEqualTo("c1");
    }

    @Test
    void aGuardThatStopsStatelessAnswersDropsOrRefusesTheRegister() throws Exception {
        challengeRegisters(GuardVerdict.DROP);
        assertThat(handled(request("REGISTER", "b1", null))).isEqualTo(DONE);
        assertThat(counted).containsExactly("StatelessGuard 0", "REGISTER");
        counted.clear();
        challengeRegisters(BUSY);
        assertThat(handled(request("REGISTER", "b2", null))).isEqualTo(DONE);
        assertThat(receive()).startsWith("SIP/2.0 503 Overloaded\r\n").contains("\r\nRetry-After: 2\r\n");
        assertThat(counted).containsExactly("StatelessGuard 503", "REGISTER", "503 REGISTER");
    }

    @Test
    void aRegisterThePipelineWouldNotChallengeIsForTheStack() {
        challengeRegisters(GuardVerdict.PASS);
        String register = request("REGISTER", "b1", null);
        String end = "Content-Length: 0\r\n\r\n";
        assertThat(handled(register.replace(end, "Authorization: Digest username=\"bob\"\r\n" + end)))
                .as("credentials").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace(end, "Route: <sip:127.0.0.1;lr\r\n" + end))).as("a bad Route")
                .isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace(end, "Proxy-Require: foo\r\n" + end))).as("Proxy-Require")
                .isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace(end, "Content-Length: 2\r\n\r\nhi"))).as("a body")
                .isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(request("REGISTER", "b2", "t1"))).as("a To tag").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace("REGISTER sip:bob@example.test", "REGISTER sip:other.test")))
                .as("another domain's Request-URI").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace("To: <sip:bob@example.test>", "To: <sip:bob@other.test>")))
                .as("another domain's To").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace("To: <sip:bob@example.test>", "To: <sip:example.test>")))
                .as("a To without user").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace("To: <sip:bob@example.test>", "To: <tel:+15550100>")))
                .as("a tel: To").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(handled(register.replace("REGISTER sip:bob@example.test", "REGISTER sips:example.test")))
                .as("a sips: Request-URI").isEqualTo(QUEUE_AS_NEW_WORK);
        assertThat(counted).isEmpty();
    }

    @Test
    void aRegisterWithCredentialsIsQueuedUnparsedAndItsRetransmissionsGetItsAnswer() throws Exception {
        RegisterAnswers answers = serveRegisters();
        String register = request("REGISTER", "b1", null).replace("Content-Length: 0",
                "Authorization: Digest username=\"bob\"\r\nContent-Length: 0");
        assertThat(handled(register)).isEqualTo(QUEUE_UNPARSED);
        assertThat(answers.find("z9hg4bk-b1").datagram()).as("claimed, pending").isNull();

        assertThat(handled(register)).as("a retransmission while pending").isEqualTo(DONE);
        byte[] ok = "SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        answers.sent("z9hg4bk-b1", ok);
        assertThat(handled(register)).as("a retransmission once answered").isEqualTo(DONE);
        assertThat(receive()).isEqualTo("SIP/2.0 200 OK\r\n\r\n");
        assertThat(counted).containsExactly("REGISTER", "REGISTER");

        verdict = BUSY;
        String another = register.replace("z9hG4bK-b1", "z9hG4bK-b2");
        assertThat(handled(another)).as("new work while overloaded").isEqualTo(DONE);
        assertThat(receive()).startsWith("SIP/2.0 503 Overloaded\r\n");
        assertThat(answers.find("z9hg4bk-b2")).isNull();
    }

    @Test
    void aRegisterThatTheQueueDroppedIsServedWhenRetransmitted() {
        RegisterAnswers answers = serveRegisters();
        String register = request("REGISTER", "b1", null).replace("Content-Length: 0",
                "Authorization: Digest username=\"bob\"\r\nContent-Length: 0");
        assertThat(handled(register)).isEqualTo(QUEUE_UNPARSED);
        refusals.notQueued();
        assertThat(answers.find("z9hg4bk-b1")).isNull();
        assertThat(handled(register)).isEqualTo(QUEUE_UNPARSED);
    }

    @Test
    void whileOverloadedARetransmittedRegisterThatTheStackHandlesIsForTheStack() {
        serveRegisters();
        verdict = BUSY;
        serverTransactions.add("z9hg4bk-b1");
        String register = request("REGISTER", "b1", null).replace("Content-Length: 0",
                "Authorization: Digest username=\"bob\"\r\nContent-Length: 0");
        assertThat(handled(register)).isEqualTo(QUEUE);
        assertThat(counted).isEmpty();
    }

    /** REGISTERs with credentials go to a RawRegistrations whose answers the test sets; returns them. */
    private RegisterAnswers serveRegisters() {
        challengeRegisters(GuardVerdict.PASS);
        RegisterAnswers answers = new RegisterAnswers(100);
        LocalAddresses local = new LocalAddresses("127.0.0.1", 5060, "example.test", Set.of("127.0.0.1"));
        RawRegisterChallenges forUs = new RawRegisterChallenges(local, List::of);
        // Only what the reader asks of it is used: whether a request applies, and its answers.
        refusals.registerWith(new RawRegistrations(forUs, "example.test", "example.test", null, null, null, null,
                null, null, answers, () -> traffic, 4096), new InboundValve());
        return answers;
    }

    /** From now on REGISTERs are challenged with two fixed challenges, subject to a guard with this verdict. */
    private void challengeRegisters(GuardVerdict statelessVerdict) {
        LocalAddresses local = new LocalAddresses("127.0.0.1", 5060, "example.test", Set.of("127.0.0.1"));
        List<DigestChallenge> challenges = List.of(new DigestChallenge("example.test", "n1", "MD5", "auth", false),
                new DigestChallenge("example.test", "n1", "SHA-256", "auth", false));
        InboundValve valve = new InboundValve();
        valve.countWith(traffic);
        valve.guardRequests(List.of(new RequestGuard() {
            @Override
            public GuardVerdict check(SIPRequest request, InetAddress source) {
                throw new AssertionError("a stateless answer is not parsed");
            }

            @Override
            public GuardVerdict checkStateless(InetAddress source) {
                return statelessVerdict;
            }

            @Override
            public String name() {
                return "StatelessGuard";
            }
        }));
        refusals.challengeWith(new RawRegisterChallenges(local, () -> challenges), valve);
    }

    private RawRefusals.Disposition handled(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return refusals.handled(bytes, bytes.length, client.getLocalAddress(), client.getLocalPort(), server);
    }

    private String receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        client.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    /** With rport, so the answer goes to the client's socket. */
    private static String request(String method, String branch, String toTag) {
        return method + " sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-" + branch + ";rport\r\n"
                + "From: <sip:alice@example.test>;tag=a1\r\n"
                + "To: <sip:bob@example.test>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
