package io.sipserver.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipserver.config.DigestAlgorithm;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.SipTraffic;
import io.sipserver.registrar.AddressOfRecord;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.BindingChange;
import io.sipserver.registrar.BindingStore;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.User;
import io.sipserver.registrar.auth.DigestAuthenticator;
import io.sipserver.registrar.auth.DigestHashes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sip.RequestEvent;
import javax.sip.SipFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** The REGISTER stage without sockets: what the phone gets when answering fails after the registrar is done. */
class RegisterStageTest {

    private static final String DOMAIN = "example.test";
    private static final String PASSWORD = "pw";
    /** A contact that JAIN-SIP cannot parse: a row written by something other than this server. */
    private static final String UNPARSABLE_CONTACT = "sip:alice@host:port";
    private static final Clock CLOCK = Clock.systemUTC();

    private final DigestAuthenticator authenticator = new DigestAuthenticator(List.of(DigestAlgorithm.MD5), DOMAIN,
            Duration.ofMinutes(5), null, CLOCK, RegisterStageTest::user);

    @Test
    void aRegisterWhoseAnswerCannotBeBuiltGets500InsteadOfNoAnswer() throws Exception {
        SipMessages sip = sipMessages();
        assertThatThrownBy(() -> sip.addresses().createURI(UNPARSABLE_CONTACT)).isInstanceOf(ParseException.class);
        String aor = AddressOfRecord.of("alice", DOMAIN);
        LocationService locations = new LocationService(new StoreHolding(new Binding(aor, UNPARSABLE_CONTACT,
                Instant.now().plusSeconds(600), 1.0f, "old-call", 1, "127.0.0.1", 5070, "UDP", null, Instant.now())),
                new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(30)), CLOCK);
        locations.load();
        RegisterStage stage = new RegisterStage(locations, new DigestChallenger(authenticator, DOMAIN,
                AuthFailureTracker.disabled(), new ScheduledThreadPoolExecutor(1)), sip.local(), CLOCK, Runnable::run);
        List<Response> sent = new ArrayList<>();

        // A query (no Contact): the 200 would list the stored binding, whose contact does not parse.
        stage.handle(new RequestContext(new RequestEvent(this, null, null, signedQuery()), StageTestSupport.recordingProvider(sent), sip));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getStatusCode()).isEqualTo(500);
    }

    private SIPRequest signedQuery() throws ParseException {
        String uri = "sip:" + DOMAIN;
        String text = "REGISTER " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-register-stage\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@" + DOMAIN + ">;tag=a1\r\n"
                + "To: <sip:alice@" + DOMAIN + ">\r\n"
                + "Call-ID: register-stage-test\r\n"
                + "CSeq: 2 REGISTER\r\n"
                + "Authorization: " + StageTestSupport.registerAuthorization(authenticator, DOMAIN, "alice", PASSWORD)
                + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        SIPRequest request = (SIPRequest) new StringMsgParser()
                .parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), true, false, null);
        request.setRemoteAddress(InetAddress.getLoopbackAddress());
        request.setRemotePort(5070);
        return request;
    }

    private static Optional<User> user(String name) {
        return Optional.of(new User(name, DigestHashes.ha1(DigestAlgorithm.MD5, name, DOMAIN, PASSWORD),
                DigestHashes.ha1(DigestAlgorithm.SHA_256, name, DOMAIN, PASSWORD)));
    }

    private static SipMessages sipMessages() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        return new SipMessages(factory.createMessageFactory(), factory.createHeaderFactory(),
                factory.createAddressFactory(), new LocalAddresses("127.0.0.1", 5060, DOMAIN, Set.of("127.0.0.1")),
                null, () -> SipTraffic.NONE);
    }

    /** Holds the given bindings; every change is durable at once. */
    private record StoreHolding(Binding stored) implements BindingStore {
        @Override
        public CompletableFuture<Void> apply(List<BindingChange> changes) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<Binding> loadAll() {
            return List.of(stored);
        }
    }
}
