package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.admission.BandwidthModel;
import io.sipserver.config.AdmissionProperties;
import io.sipserver.registrar.auth.DigestChallenge;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sip.SipFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up without a running server: every message of its set parses and is handled, within its bounds. */
class SipMessagePathWarmUpTest {

    private static final int MESSAGES_PER_CALL = 10;

    private final List<String> counted = new ArrayList<>();
    /** Lengths of the answers the unparsed REGISTER path wrote. */
    private final List<Integer> unparsedAnswers = new ArrayList<>();

    @BeforeAll
    static void viaParserAsInTheStack() {
        CommentFreeViaParser.install();
    }

    @Test
    void everyMessageOfACallAndARegistrationGoesThroughWithoutErrorAndNothingIsCounted() throws Exception {
        SipMessagePathWarmUp.Result result = warmUp().run(3 * MESSAGES_PER_CALL, Duration.ofMinutes(1));

        assertThat(result.messages()).isEqualTo(3 * MESSAGES_PER_CALL);
        assertThat(counted).as("messages counted as traffic").isEmpty();
        assertThat(unparsedAnswers).as("challenges and 200s written by the unparsed path").hasSize(6)
                .allMatch(length -> length > 200);
    }

    @Test
    void stopsAfterItsMessageCount() throws Exception {
        SipMessagePathWarmUp warmUp = warmUp();

        assertThat(warmUp.run(5, Duration.ofMinutes(1)).messages()).isEqualTo(5);
        assertThat(warmUp.run(1, Duration.ofMinutes(1)).messages()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void stopsWhenItsTimeIsUpAfterTheMessageUnderWay() throws Exception {
        Duration budget = Duration.ofMillis(200);

        SipMessagePathWarmUp.Result result = warmUp().run(Integer.MAX_VALUE, budget);

        assertThat(result.messages()).isPositive().isLessThan(Integer.MAX_VALUE);
        assertThat(result.took()).isGreaterThanOrEqualTo(budget).isLessThan(budget.plusSeconds(10));
    }

    private SipMessagePathWarmUp warmUp() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        // No provider: anything the warm-up tried to send would fail it.
        LocalAddresses local = new LocalAddresses("127.0.0.1", 5060, "example.test", Set.of("127.0.0.1"));
        SipMessages messages = new SipMessages(factory.createMessageFactory(), factory.createHeaderFactory(),
                factory.createAddressFactory(), local, null, () -> new CountingTraffic(counted));
        // No authenticator, lockout table, registrar or replies executor: anything the rehearsal used of them
        // would fail it.
        RawRegisterChallenges challenges = new RawRegisterChallenges(local,
                () -> List.of(new DigestChallenge("example.test", "n1", "MD5", "auth", false)));
        RawRegistrations registrations = new RawRegistrations(challenges, "example.test", "example.test", null, null,
                null, factory.createAddressFactory(), Clock.systemUTC(), null, new RegisterAnswers(10),
                () -> new CountingTraffic(counted), 16384);
        return new SipMessagePathWarmUp(new SipMessageParserFactory().createMessageParser(null), messages,
                new BandwidthModel(AdmissionProperties.defaults()), (register, source, port) -> {
                    int length = registrations.rehearse(register, source, port);
                    unparsedAnswers.add(length);
                    return length;
                });
    }

    /** Notes whatever is counted. */
    private record CountingTraffic(List<String> counted) implements SipTraffic {
        @Override
        public void requestReceived(SIPRequest request) {
            counted.add(request.getMethod());
        }

        @Override
        public void responseReceived(SIPResponse response) {
            counted.add(Integer.toString(response.getStatusCode()));
        }

        @Override
        public void responseSent(Response response) {
            counted.add(Integer.toString(response.getStatusCode()));
        }

        @Override
        public void guardStopped(String guard, GuardVerdict verdict) {
            counted.add(guard);
        }

        @Override
        public void rawRequestReceived(String method) {
            counted.add(method);
        }

        @Override
        public void rawResponseSent(String method, int status) {
            counted.add(Integer.toString(status));
        }
    }
}
