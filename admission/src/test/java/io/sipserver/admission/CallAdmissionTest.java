package io.sipserver.admission;

import io.sipserver.config.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.config.AdmissionProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallAdmissionTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    private static final String PCMU_OR_G729 = sdp("m=audio 4000 RTP/AVP 0 18 101\na=rtpmap:101 telephone-event/8000\n");
    private static final String G729 = sdp("m=audio 4000 RTP/AVP 18 101\na=rtpmap:101 telephone-event/8000\n");
    private static final String PCMU = sdp("m=audio 4000 RTP/AVP 0\n");
    private static final String PCMU_AND_VIDEO = sdp("m=audio 4000 RTP/AVP 0\nm=video 4002 RTP/AVP 96\nb=AS:512\n");

    private final MutableClock clock = new MutableClock(NINE.minus(Duration.ofHours(1)));
    private final LocationDirectory locations = new LocationDirectory(new InMemoryLocationStore());
    private final ReservationBook reservations = new ReservationBook(new InMemoryReservationStore(), locations, clock);
    private final BandwidthLedger ledger = new BandwidthLedger(LocationLimits.of(locations, reservations));
    private final CallAdmission admission =
            new CallAdmission(new BandwidthModel(AdmissionProperties.defaults()), locations, ledger, clock);

    private final CallParty alice = party("alice", "10.0.0.10");
    private final CallParty bob = party("bob", "10.0.0.11");
    private final CallParty carol = party("carol", "198.51.100.5");
    private final CallParty dave = party("dave", "203.0.113.9");

    @BeforeEach
    void sites() {
        locations.create(new Location("hq", List.of("10.0.0.0/16"), 1000L));
        locations.create(new Location("branch", List.of("198.51.100.0/24"), 400L));
    }

    @Test
    void relayedCallInsideOneSiteCostsThatSiteTwice() {
        assertThat(admission.admit("c1", alice, List.of(bob), true, PCMU))
                .isEqualTo(new AdmissionDecision.Admitted(160));
        assertThat(used()).containsEntry("hq", 160.0).containsEntry("branch", 0.0).containsEntry("default", 0.0);
    }

    @Test
    void relayedCallBetweenSitesChargesEachLegToItsEndpointsSite() {
        admission.admit("c1", alice, List.of(carol), true, PCMU);
        assertThat(used()).containsEntry("hq", 80.0).containsEntry("branch", 80.0);
    }

    @Test
    void directCallBetweenLocationsChargesBothAndInsideOneCostsNothing() {
        admission.admit("between", alice, List.of(dave), false, PCMU);
        admission.admit("inside", alice, List.of(bob), false, PCMU);
        assertThat(used()).containsEntry("hq", 80.0).containsEntry("default", 80.0);
        assertThat(admission.call("inside").orElseThrow().kbpsByLocation()).isEmpty();
    }

    @Test
    void forkedCallHoldsOneLegPerCalleeLocationUntilTheAnswerShrinksIt() {
        CallParty bobsDesk = party("bob", "10.0.5.5");
        admission.admit("c1", alice, List.of(bob, bobsDesk, carol), true, PCMU_OR_G729);
        assertThat(used()).as("most expensive codec; hq: caller leg + one callee leg; branch: one")
                .containsEntry("hq", 160.0).containsEntry("branch", 80.0);

        assertThat(admission.onAnswer("c1", carol, G729)).isTrue();

        assertThat(used()).containsEntry("hq", 24.0).containsEntry("branch", 24.0);
        assertThat(admission.call("c1").orElseThrow().kbpsByLocation()).isEqualTo(Map.of("hq", 24.0, "branch", 24.0));
    }

    @Test
    void refusedWhenOneTouchedBudgetIsShortAndNothingIsCharged() {
        for (int i = 0; i < 5; i++) {
            assertThat(admission.admit("c" + i, carol, List.of(dave), true, PCMU).admitted()).isTrue();
        }
        assertThat(admission.admit("c5", alice, List.of(carol), true, PCMU))
                .isEqualTo(new AdmissionDecision.Refused("branch", 80, 0));
        assertThat(used()).containsEntry("hq", 0.0).containsEntry("branch", 400.0);
        assertThat(admission.admittedCalls()).isEqualTo(5);
        assertThat(admission.refusedCalls()).isEqualTo(1);
        assertThat(admission.liveCalls()).isEqualTo(5);
    }

    @Test
    void reInviteThatDoesNotFitIsRefusedAndKeepsTheOldCharges() {
        admission.admit("c1", carol, List.of(alice), true, PCMU_OR_G729);
        admission.onAnswer("c1", alice, G729);

        assertThat(admission.reoffer("c1", PCMU_AND_VIDEO)).as("592 kbps do not fit branch's 400").isFalse();
        assertThat(used()).containsEntry("hq", 24.0).containsEntry("branch", 24.0);

        assertThat(admission.reoffer("c1", PCMU)).isTrue();
        assertThat(used()).as("held until the answer").containsEntry("branch", 80.0);
        admission.onAnswer("c1", alice, PCMU);
        assertThat(used()).containsEntry("hq", 80.0).containsEntry("branch", 80.0);
    }

    @Test
    void failedReInviteRestoresTheChargesBeforeIt() {
        admission.admit("c1", carol, List.of(alice), true, G729);
        admission.onAnswer("c1", alice, G729);
        assertThat(admission.reoffer("c1", PCMU)).isTrue();

        admission.reofferFailed("c1");

        assertThat(used()).containsEntry("hq", 24.0).containsEntry("branch", 24.0);
    }

    @Test
    void lateOfferIsChargedWhenTheOfferArrivesInThe200() {
        assertThat(admission.admit("c1", alice, List.of(carol), true, null))
                .isEqualTo(new AdmissionDecision.Admitted(0));
        assertThat(used()).containsEntry("hq", 0.0);

        assertThat(admission.onAnswer("c1", carol, PCMU_OR_G729)).isTrue();
        assertThat(used()).as("an offer: its most expensive codec").containsEntry("branch", 80.0);

        assertThat(admission.onAnswer("c1", carol, G729)).as("the ACK's answer").isTrue();
        assertThat(used()).containsEntry("hq", 24.0).containsEntry("branch", 24.0);
    }

    @Test
    void lateOfferThatDoesNotFitEndsTheCall() {
        admission.admit("c1", alice, List.of(carol), true, "");
        assertThat(admission.onAnswer("c1", carol, PCMU_AND_VIDEO)).isFalse();
        assertThat(used()).containsEntry("branch", 0.0);
        admission.release("c1");
        assertThat(admission.liveCalls()).isZero();
    }

    @Test
    void releaseIsIdempotentAndGivesEverythingBack() {
        admission.admit("c1", alice, List.of(carol), true, PCMU);
        admission.admit("c2", alice, List.of(bob, carol), false, PCMU);

        admission.release("c1");
        admission.release("c1");
        admission.release("c2");
        admission.release("never-admitted");

        assertThat(used().values()).containsOnly(0.0);
        assertThat(admission.liveCalls()).isZero();
        assertThat(admission.onAnswer("c1", carol, PCMU)).as("a late answer changes nothing").isTrue();
        assertThat(used().values()).containsOnly(0.0);
    }

    @Test
    void aRetransmittedInviteIsNotChargedTwice() {
        admission.admit("c1", alice, List.of(carol), true, PCMU);
        assertThat(admission.admit("c1", alice, List.of(carol), true, PCMU))
                .isEqualTo(new AdmissionDecision.Admitted(160));
        assertThat(used()).containsEntry("hq", 80.0);
    }

    @Test
    void badSdpIsRefusedAsBadInputAndChargesNothing() {
        assertThatThrownBy(() -> admission.admit("c1", alice, List.of(carol), true, "v=0\nm=audio x RTP/AVP 0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SDP line 2");
        assertThat(admission.liveCalls()).isZero();
    }

    @Test
    void disabledAdmissionAdmitsEverythingAndChargesNothing() {
        AdmissionProperties off = new AdmissionProperties(false, 20, 20, 40, 8, 12, null, 32, 384, 64);
        CallAdmission disabled = new CallAdmission(new BandwidthModel(off), locations, ledger, clock);
        assertThat(disabled.admit("c1", alice, List.of(carol), true, PCMU_AND_VIDEO))
                .isEqualTo(new AdmissionDecision.Admitted(0));
        assertThat(disabled.liveCalls()).isZero();
    }

    @Test
    void duringAReservationOthersAreHeldBackAndTheOwnerDrawsFromItFirst() {
        Reservation carols = reservations.create("branch", 160, "carol", NINE, NINE.plus(Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            assertThat(admission.admit("before-" + i, dave, List.of(party("erin", "198.51.100.9")), true, PCMU)
                    .admitted()).as("before the window the whole budget is common").isTrue();
        }
        for (int i = 0; i < 5; i++) {
            admission.release("before-" + i);
        }

        clock.set(NINE);
        assertThat(admission.usage("branch")).isEqualTo(new LocationUsage("branch", 400L, 0, 160, 240.0));
        for (int i = 0; i < 3; i++) {
            assertThat(admission.admit("erin-" + i, party("erin", "198.51.100.9"), List.of(dave), true, PCMU)
                    .admitted()).isTrue();
        }
        assertThat(admission.admit("erin-3", party("erin", "198.51.100.9"), List.of(dave), true, PCMU))
                .isEqualTo(new AdmissionDecision.Refused("branch", 80, 0));
        assertThat(admission.admit("to-carol", dave, List.of(carol), true, PCMU).admitted())
                .as("the callee owns the reservation").isTrue();
        assertThat(admission.admit("from-carol", carol, List.of(dave), true, PCMU).admitted()).isTrue();
        assertThat(admission.admit("carol-again", carol, List.of(dave), true, PCMU).admitted())
                .as("reservation and common pool both used up").isFalse();
        assertThat(admission.usage("branch").usedKbps()).isEqualTo(400);

        clock.set(carols.end());
        admission.release("to-carol");
        assertThat(admission.admit("erin-4", party("erin", "198.51.100.9"), List.of(dave), true, PCMU).admitted())
                .as("after the window the freed bandwidth is common again").isTrue();
    }

    @Test
    void anAnswerFromALocationThatIsFullDoesNotFit() {
        for (int i = 0; i < 5; i++) {
            admission.admit("fill-" + i, carol, List.of(dave), true, PCMU);
        }
        admission.admit("c1", alice, List.of(bob), true, PCMU);
        CallParty bobAtBranch = party("bob", "198.51.100.20");

        assertThat(admission.onAnswer("c1", bobAtBranch, PCMU)).isFalse();
        assertThat(admission.call("c1").orElseThrow().kbpsByLocation()).isEqualTo(Map.of("hq", 160.0));
    }

    private Map<String, Double> used() {
        Map<String, Double> used = new TreeMap<>();
        admission.usage().forEach((name, usage) -> used.put(name, usage.usedKbps()));
        return used;
    }

    private static CallParty party(String user, String address) {
        try {
            return new CallParty(user, InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String sdp(String media) {
        return "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n" + media;
    }
}
