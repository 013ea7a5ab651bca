package io.sipserver.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.config.DigestAlgorithm;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.proxy.routing.NatContact;
import io.sipserver.proxy.sip.CommentFreeViaParser;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.SipMessageParser;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.SipTraffic;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import io.sipserver.registrar.BindingStore;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.User;
import io.sipserver.registrar.auth.DigestAuthenticator;
import io.sipserver.registrar.auth.DigestHashes;
import java.net.InetAddress;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sip.RequestEvent;
import javax.sip.SipFactory;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.LoggerFactory;

/**
 * Any bytes, as a datagram could carry them, through the stack's parser (SipMessageParser) and then, when the stack
 * would hand the result to our listener, through the request stages that need no network (sanity, domain and
 * loose-route checks, REGISTER with digest authentication and the registrar, OPTIONS) and the NAT Contact fix. The
 * property: our code answers every request exactly once (never an ACK), never with 500, which is what the pipeline
 * sends when a stage throws something other than the documented bad-input exceptions (IllegalArgumentException,
 * ParseException: 400 with the reason), and nothing escapes towards the stack.
 *
 * <p>A flag lets the harness sign a REGISTER with valid digest credentials, so that the fuzzer reaches the
 * registrar's Contact and Expires handling, not only the 401 challenge. {@code verify} fuzzes it; {@code test}
 * replays the inputs kept in SipRequestFuzzTestInputs.
 */
class SipRequestFuzzTest {

    private static final String DOMAIN = "example.test";
    private static final String PASSWORD = "pw";
    private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();
    private static final int SOURCE_PORT = 40000;

    /** What the stages sent for the current input, through a server transaction or statelessly. */
    private static final List<Response> SENT = new ArrayList<>();
    private static final SipMessages SIP = sipMessages();
    /** Starts no thread unless used: with failure tracking off (each input is a new attempt), nothing is held back. */
    private static final ScheduledExecutorService HELD_BACK_REFUSALS = new ScheduledThreadPoolExecutor(1);
    private static final DigestAuthenticator AUTHENTICATOR = new DigestAuthenticator(
            List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256), DOMAIN, Duration.ofMinutes(5), null,
            Clock.systemUTC(), SipRequestFuzzTest::anyUser, 1 << 10);

    @FuzzTest(maxDuration = "45s")
    void anyDatagramThroughTheRequestStages(FuzzedDataProvider data) throws ParseException {
        int flags = data.consumeInt(0, 3);
        SIPRequest request = requestTheStackWouldDeliver(data.consumeRemainingAsBytes());
        if (request == null) {
            return;
        }
        if ((flags & 1) != 0) {
            signIfRegister(request);
        }
        List<Response> sent = SENT;
        sent.clear();
        LocationService locations = new LocationService(new DiscardingStore(),
                new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(30)),
                Clock.systemUTC());
        RequestPipeline pipeline = new RequestPipeline(List.of(
                new SanityStage(),
                new DomainStage(SIP.local()),
                new RegisterStage(locations, new DigestChallenger(AUTHENTICATOR, DOMAIN,
                        AuthFailureTracker.disabled(), HELD_BACK_REFUSALS), SIP.local(),
                        Clock.systemUTC(), Runnable::run),
                new OwnRequestStage()));
        RequestContext ctx = new RequestContext(new RequestEvent(this, null, null, request),
                StageTestSupport.recordingProvider(sent), SIP);

        pipeline.handle(ctx);

        if (request.getMethod().equals(Request.ACK) || !answerable(request)) {
            assertThat(sent).as("responses to an ACK, or to a request no response can be built for").isEmpty();
        } else {
            assertThat(sent).as("responses to\n%s", request).hasSize(1);
            assertThat(sent.get(0).getStatusCode()).as("status answering\n%s", request).isNotEqualTo(500);
        }
        if ((flags & 2) != 0) {
            NatContact.fix(request, SOURCE, SOURCE_PORT, SIP);
        }
    }

    /**
     * The parsed request, or null where JAIN-SIP itself drops or answers the datagram before the listener
     * (UDPMessageChannel.processIncomingDataPacket: parse errors, missing required headers, SIP version, CSeq method).
     */
    private static SIPRequest requestTheStackWouldDeliver(byte[] datagram) throws ParseException {
        SIPMessage message;
        try {
            message = SipMessageParser.INSTANCE.parseSIPMessage(datagram, true, false, null);
        } catch (Exception unparsable) {
            // The stack catches whatever a datagram's parse throws: a 400 or a silent drop, never the listener.
            return null;
        }
        if (!(message instanceof SIPRequest request) || request.getFrom() == null || request.getTo() == null
                || request.getCallId() == null || request.getCSeq() == null || request.getTopmostVia() == null
                || !"SIP/2.0".equals(request.getRequestLine().getSipVersion())
                || !request.getMethod().equalsIgnoreCase(request.getCSeq().getMethod())) {
            return null;
        }
        request.setRemoteAddress(SOURCE);
        request.setRemotePort(SOURCE_PORT);
        if (request.getTopmostVia().hasParameter("rport")) {
            // The channel stamps the source port into the top Via's rport (RFC 3581).
            request.getTopmostVia().setParameter("rport", Integer.toString(SOURCE_PORT));
        }
        return request;
    }

    /** False when JAIN-SIP cannot build any response to the request (the pipeline then drops it). */
    private static boolean answerable(SIPRequest request) {
        try {
            SIP.response(request, 400, null);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Replaces the credentials of a REGISTER by valid ones for its To user, as a phone that knows its password. */
    private static void signIfRegister(SIPRequest request) {
        if (!request.getMethod().equals(Request.REGISTER)
                || !(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI() instanceof SipURI to)
                || to.getUser() == null) {
            return;
        }
        try {
            request.setHeader(SIP.headers().createHeader(AuthorizationHeader.NAME,
                    StageTestSupport.registerAuthorization(AUTHENTICATOR, DOMAIN, to.getUser(), PASSWORD)));
        } catch (ParseException userNotQuotable) {
            // The request stays unsigned.
        }
    }

    private static Optional<User> anyUser(String name) {
        return Optional.of(new User(name, DigestHashes.ha1(DigestAlgorithm.MD5, name, DOMAIN, PASSWORD),
                DigestHashes.ha1(DigestAlgorithm.SHA_256, name, DOMAIN, PASSWORD)));
    }

    private static SipMessages sipMessages() {
        // The stages log every refused request; at fuzzing rates that would be most of the run time.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.sipserver")).setLevel(Level.WARN);
        CommentFreeViaParser.install();
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            // Challenges go out statelessly: they count in the one-answer check like the transactions' responses.
            return new SipMessages(factory.createMessageFactory(), factory.createHeaderFactory(),
                    factory.createAddressFactory(), new LocalAddresses("127.0.0.1", 5060, DOMAIN, Set.of("127.0.0.1")),
                    StageTestSupport.recordingProvider(SENT), () -> SipTraffic.NONE);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Durable at once, keeps nothing: the registrar's in-memory index is what the stages read. */
    private static final class DiscardingStore implements BindingStore {
        @Override
        public CompletableFuture<Void> apply(List<BindingChange> changes) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<Binding> loadAll() {
            return List.of();
        }
    }
}
