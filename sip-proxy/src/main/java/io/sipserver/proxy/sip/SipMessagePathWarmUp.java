package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import io.sipserver.admission.BandwidthModel;
import io.sipserver.config.DigestAlgorithm;
import io.sipserver.registrar.auth.DigestCredentials;
import io.sipserver.registrar.auth.DigestHashes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The messages of a registration and of a call (REGISTER with digest credentials; INVITE with SDP, 100, 180, 200
 * with SDP, ACK, BYE, 200), parsed by the stack's parser, then changed and encoded as the proxy changes and
 * encodes each of them, over and over, so that the JIT compiles that code before real traffic arrives; the REGISTERs
 * (without credentials, then with them) also go through the path that serves them over UDP from their bytes. Cold, the
 * server needs about twice the CPU per call it needs later; a restart into full load (or a benchmark on a fresh
 * server) then builds a receive queue that the overload guard answers with 503s.
 * <p>
 * Nothing here reaches the stack's transactions, the registrar, the calls, the relay, the counters or the network:
 * the messages are built from text, parsed, copied, changed and turned back into bytes, and dropped (the challenge
 * of the unparsed path issues a nonce, which nobody answers).
 */
public final class SipMessagePathWarmUp {

    /** What a run did: how many messages went through, and how long it took. */
    public record Result(int messages, Duration took) {
    }

    private static final String TRANSPORT = "UDP";
    /** Where the synthetic phones are: TEST-NET-1 (RFC 5737), never contacted. */
    private static final String CALLER = "203.0.113.10:5060";
    private static final String CALLEE = "203.0.113.20:5070";
    /** Where the requests seem to come from: a NAT in front of the phones (RFC 5737 TEST-NET-3). */
    private static final String SOURCE_HOST = "203.0.113.5";
    private static final String SOURCE_PORT = "34567";
    private static final InetAddress SOURCE_ADDRESS = literalAddress(SOURCE_HOST);
    private static final String REALM = "warm-up.invalid";
    private static final String PASSWORD = "warm-up";

    private final MessageParser parser;
    private final SipMessages sip;
    private final BandwidthModel bandwidth;
    private final UnparsedRegisters unparsed;
    private final List<Step> steps;

    /**
     * The path of REGISTERs over UDP that never become JAIN-SIP messages ({@link SipStackRuntime
     * #rehearseUnparsedRegister}): runs one without sending, storing or counting anything.
     */
    @FunctionalInterface
    public interface UnparsedRegisters {
        /** @return the length of the answer written */
        int rehearse(byte[] register, InetAddress source, int sourcePort);
    }

    /**
     * @param parser the stack's message parser (its {@code MessageParserFactory}'s)
     * @param sip the proxy's message builder; only its header factories are used, nothing is sent
     * @param bandwidth the admission's SDP model, applied to the offer and the answer as for a real call
     * @param unparsed where the REGISTERs without and with credentials also go, as over UDP
     */
    public SipMessagePathWarmUp(MessageParser parser, SipMessages sip, BandwidthModel bandwidth,
            UnparsedRegisters unparsed) {
        this.parser = parser;
        this.sip = sip;
        this.bandwidth = bandwidth;
        this.unparsed = unparsed;
        String proxy = sip.local().advertisedHost() + ":" + sip.local().port();
        String register = registerText(proxy);
        this.steps = List.of(
                new Step(withoutCredentials(register), this::rehearseUnparsed),
                new Step(register, this::rehearseUnparsed),
                new Step(register, parsed(this::answerRegister)),
                new Step(inviteText(proxy), parsed(this::forwardInitialInvite)),
                new Step(responseText(proxy, "100 Trying", "1 INVITE", ""), parsed(SipMessagePathWarmUp::dropTrying)),
                new Step(responseText(proxy, "180 Ringing", "1 INVITE", ""), parsed(this::relayResponse)),
                new Step(responseText(proxy, "200 OK", "1 INVITE", ANSWER), parsed(this::relayAnswer)),
                new Step(inDialogText(proxy, "ACK", "1 ACK"), parsed(this::forwardInDialog)),
                new Step(inDialogText(proxy, "BYE", "2 BYE"), parsed(this::forwardInDialog)),
                new Step(responseText(proxy, "200 OK", "2 BYE", ""), parsed(this::relayResponse)));
    }

    /**
     * Runs the messages of one call after another until {@code messages} have gone through or {@code budget} has
     * passed, whichever comes first.
     *
     * @throws IllegalStateException when a message does not parse or cannot be handled (a defect of this class or
     *         of the parser's configuration, not of any input)
     */
    public Result run(int messages, Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        int done = 0;
        for (int call = 0; done < messages && System.nanoTime() - deadline < 0; call++) {
            for (int i = 0; i < steps.size() && done < messages; i++, done++) {
                steps.get(i).run(call);
            }
        }
        return new Result(done, Duration.ofNanos(System.nanoTime() - started));
    }

    /** One message of the set: its text (with {@code {n}} for the call number) and what the proxy does with it. */
    private final class Step {
        private final String text;
        private final Handling handling;

        Step(String text, Handling handling) {
            this.text = text;
            this.handling = handling;
        }

        void run(int call) {
            byte[] bytes = text.replace("{n}", Integer.toString(call)).getBytes(StandardCharsets.UTF_8);
            try {
                handling.handle(bytes);
            } catch (ParseException | SipException | RuntimeException e) {
                throw new IllegalStateException("warm-up message " + text.substring(0, text.indexOf('\r'))
                        + " failed: " + e, e);
            }
        }
    }

    /** What is done with a message's bytes. */
    @FunctionalInterface
    private interface Handling {
        void handle(byte[] bytes) throws ParseException, SipException;
    }

    /** What the proxy does with a parsed message. */
    @FunctionalInterface
    private interface MessageHandling {
        void handle(SIPMessage message) throws ParseException, SipException;
    }

    /** The bytes parsed by the stack's parser, as the stack receives them, then {@code handling}. */
    private Handling parsed(MessageHandling handling) {
        return bytes -> {
            SIPMessage message = parser.parseSIPMessage(bytes, true, false, null);
            if (message instanceof SIPRequest request) {
                stampSource(request);
            }
            handling.handle(message);
        };
    }

    /** A REGISTER over UDP: challenged by the reader, or read and answered by a worker, from its bytes. */
    private void rehearseUnparsed(byte[] register) {
        unparsed.rehearse(register, SOURCE_ADDRESS, Integer.parseInt(SOURCE_PORT));
    }

    /** What the stack's UDP channel does to each request it receives: the source address into the top Via. */
    private static void stampSource(SIPRequest request) throws ParseException {
        Via top = request.getTopmostVia();
        top.setParameter(Via.RECEIVED, SOURCE_HOST);
        top.setParameter(Via.RPORT, SOURCE_PORT);
    }

    /** A 100 from downstream ends at the proxy (RFC 3261 16.7): parsed, never relayed. */
    private static void dropTrying(SIPMessage message) {
        // Nothing more to do.
    }

    /** The registrar's work on a REGISTER: check the digest response, answer 200 with the binding. */
    private void answerRegister(SIPMessage message) {
        Request request = (Request) message;
        DigestCredentials credentials = ReceivedCredentials.of(request.getHeader(AuthorizationHeader.NAME)).digest();
        DigestAlgorithm algorithm = DigestAlgorithm.fromSipName(credentials.algorithm());
        String ha1 = DigestHashes.ha1(algorithm, credentials.username(), credentials.realm(), PASSWORD);
        String expected = DigestHashes.response(algorithm, ha1, credentials.nonce(), credentials.nc(),
                credentials.cnonce(), credentials.qop(), request.getMethod(), credentials.uri());
        if (!expected.equals(credentials.response())) {
            throw new IllegalStateException("digest response does not match");
        }
        Response ok = sip.response(request, Response.OK, null);
        ok.setHeader(request.getHeader(ContactHeader.NAME));
        encode(ok);
    }

    /** The proxy's work on a new INVITE: 100 Trying back, the offer's bandwidth, the copy forwarded to the callee. */
    private void forwardInitialInvite(SIPMessage message) throws ParseException, SipException {
        Request request = (Request) message;
        encode(sip.response(request, Response.TRYING, "Trying"));
        String offer = SipMessages.sdpBody(request);
        bandwidth.offerKbps(offer);
        Request out = (Request) request.clone();
        out.removeHeader("Proxy-Authorization");
        out.setRequestURI(sip.addresses().createURI("sip:callee@" + CALLEE));
        sip.decrementMaxForwards(out);
        out.addFirst(sip.recordRoute(TRANSPORT));
        sip.setSdpBody(out, offer);
        out.addFirst(sip.via(TRANSPORT, SipMessages.newBranch("")));
        encode(out);
    }

    /** The proxy's work on ACK and BYE inside the dialog: its own Route popped, forwarded with its own Via. */
    private void forwardInDialog(SIPMessage message) throws SipException {
        Request out = (Request) message.clone();
        out.removeFirst(RouteHeader.NAME);
        sip.decrementMaxForwards(out);
        out.addFirst(sip.via(TRANSPORT, SipMessages.newBranch("")));
        encode(out);
    }

    /** The proxy's work on a response: its own Via removed, relayed upstream. */
    private void relayResponse(SIPMessage message) {
        Response out = (Response) message.clone();
        out.removeFirst(ViaHeader.NAME);
        encode(out);
    }

    /** The proxy's work on a 2xx with the answer: the answer's bandwidth, the answer rewritten, relayed upstream. */
    private void relayAnswer(SIPMessage message) {
        String answer = SipMessages.sdpBody(message);
        bandwidth.answerKbps(answer);
        Response out = (Response) message.clone();
        out.removeFirst(ViaHeader.NAME);
        sip.setSdpBody(out, answer);
        encode(out);
    }

    private static void encode(Message message) {
        ((SIPMessage) message).encodeAsBytes(TRANSPORT);
    }

    private static final String OFFER = """
            v=0
            o=caller 53655765 2353687637 IN IP4 203.0.113.10
            s=-
            c=IN IP4 203.0.113.10
            b=AS:80
            t=0 0
            m=audio 16000 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=ptime:20
            """;

    private static final String ANSWER = """
            v=0
            o=callee 1 1 IN IP4 203.0.113.20
            s=-
            c=IN IP4 203.0.113.20
            t=0 0
            m=audio 18000 RTP/AVP 0 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            """;

    private static String registerText(String proxy) {
        String uri = "sip:" + proxy;
        String nonce = "warm-up-nonce-0123456789abcdef";
        String cnonce = "0a4f113b";
        String nc = "00000001";
        DigestAlgorithm algorithm = DigestAlgorithm.SHA_256;
        String response = DigestHashes.response(algorithm,
                DigestHashes.ha1(algorithm, "callee", REALM, PASSWORD), nonce, nc, cnonce, "auth", Request.REGISTER,
                uri);
        return message("""
                REGISTER %s SIP/2.0
                Via: SIP/2.0/UDP %s;branch=z9hG4bK-reg-{n};rport
                Max-Forwards: 70
                From: <sip:callee@%s>;tag=reg{n}
                To: <sip:callee@%s>
                Call-ID: reg-{n}@203.0.113.20
                CSeq: 2 REGISTER
                Contact: <sip:callee@%s>;expires=3600
                Expires: 3600
                User-Agent: warm-up
                Authorization: Digest username="callee", realm="%s", nonce="%s", uri="%s", response="%s", \
                algorithm=%s, cnonce="%s", qop=auth, nc=%s
                """.formatted(uri, CALLEE, proxy, proxy, CALLEE, REALM, nonce, uri, response, algorithm.sipName(),
                cnonce, nc), "");
    }

    private static String inviteText(String proxy) {
        return message("""
                INVITE sip:callee@%s SIP/2.0
                Via: SIP/2.0/UDP %s;branch=z9hG4bK-{n}-0;rport
                Max-Forwards: 70
                From: <sip:caller{n}@%s>;tag={n}C1
                To: <sip:callee@%s>
                Call-ID: {n}-call@203.0.113.10
                CSeq: 1 INVITE
                Contact: <sip:caller@%s;transport=udp>
                Subject: warm-up
                Content-Type: application/sdp
                """.formatted(proxy, CALLER, proxy, proxy, CALLER), OFFER);
    }

    private static String inDialogText(String proxy, String method, String cseq) {
        return message("""
                %s sip:callee@%s SIP/2.0
                Via: SIP/2.0/UDP %s;branch=z9hG4bK-{n}-%s;rport
                Route: <sip:%s;transport=udp;lr>
                Max-Forwards: 70
                From: <sip:caller{n}@%s>;tag={n}C1
                To: <sip:callee@%s>;tag={n}U1
                Call-ID: {n}-call@203.0.113.10
                CSeq: %s
                Contact: <sip:caller@%s;transport=udp>
                """.formatted(method, CALLEE, CALLER, cseq.charAt(0), proxy, proxy, proxy, cseq, CALLER), "");
    }

    /** A response of the callee as it reaches the proxy: the proxy's Via on top of the caller's. */
    private static String responseText(String proxy, String status, String cseq, String sdp) {
        return message("""
                SIP/2.0 %s
                Via: SIP/2.0/UDP %s;branch=z9hG4bK{n}.1f2e3d4c;rport=%s;received=%s
                Via: SIP/2.0/UDP %s;branch=z9hG4bK-{n}-%s;rport=5060;received=203.0.113.10
                Record-Route: <sip:%s;transport=udp;lr>
                From: <sip:caller{n}@%s>;tag={n}C1
                To: <sip:callee@%s>;tag={n}U1
                Call-ID: {n}-call@203.0.113.10
                CSeq: %s
                Contact: <sip:callee@%s;transport=udp>
                """.formatted(status, proxy, proxy.substring(proxy.lastIndexOf(':') + 1),
                proxy.substring(0, proxy.lastIndexOf(':')), CALLER, cseq.charAt(0), proxy, proxy, proxy, cseq,
                CALLEE) + (sdp.isEmpty() ? "" : "Content-Type: application/sdp\n"), sdp);
    }

    /** Header text (lines ending in LF) and body joined into a SIP message with CRLF line ends and Content-Length. */
    /** The REGISTER without its Authorization line: the first of a registration, which gets the challenge. */
    private static String withoutCredentials(String register) {
        int start = register.indexOf("\r\nAuthorization:");
        return register.substring(0, start) + register.substring(register.indexOf("\r\n", start + 2));
    }

    private static InetAddress literalAddress(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address literal: " + address, e);
        }
    }

    private static String message(String head, String body) {
        String crlfBody = body.replace("\n", "\r\n");
        return head.replace("\n", "\r\n") + "Content-Length: " + crlfBody.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + crlfBody;
    }
}
