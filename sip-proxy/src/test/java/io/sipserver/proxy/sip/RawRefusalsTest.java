package io.sipserver.proxy.sip;

import static io.sipserver.proxy.sip.RawRefusals.Disposition.DONE;
import static io.sipserver.proxy.sip.RawRefusals.Disposition.QUEUE;
import static io.sipserver.proxy.sip.RawRefusals.Disposition.QUEUE_AS_NEW_WORK;
import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
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
        refusals.countWith(new SipTraffic() {
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
        });
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
        assertThat(counted).containsExactly("INVITE", "TestGuard 503", "503 INVITE",
                "REGISTER", "TestGuard 503", "503 REGISTER");
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
