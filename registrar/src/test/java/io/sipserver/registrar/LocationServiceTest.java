package io.sipserver.registrar;

import io.sipserver.config.testing.MutableClock;

import static io.sipserver.registrar.Registers.ALICE;
import static io.sipserver.registrar.Registers.contact;
import static io.sipserver.registrar.Registers.ok;
import static io.sipserver.registrar.Registers.register;
import static io.sipserver.registrar.Registers.wildcard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.config.RegistrarProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** RFC 3261 section 10.3 as the issue spells it out, one rule per test. */
class LocationServiceTest {

    private static final String PHONE = "sip:alice@198.51.100.7:5062";
    private static final String LAPTOP = "sip:alice@203.0.113.9:5060;transport=tcp";
    private static final String TABLET = "sip:alice@192.0.2.44:5070";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    private final RecordingBindingStore store = new RecordingBindingStore();
    private final RegistrarProperties props = new RegistrarProperties(3600, 60, 7200, 3, Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(30));
    private final LocationService locations = new LocationService(store, props, clock);

    @Test
    void addsABindingAndAnswersWithItsExpiryAndWhereItCameFrom() {
        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))));

        assertThat(bindings).singleElement().satisfies(b -> {
            assertThat(b.contactUri()).isEqualTo(PHONE);
            assertThat(b.expiresInSeconds(clock.instant())).isEqualTo(600);
            assertThat(b.q()).isEqualTo(1.0f);
            assertThat(b.sourceHost()).isEqualTo("198.51.100.7");
            assertThat(b.sourcePort()).isEqualTo(5062);
            assertThat(b.transport()).isEqualTo("UDP");
            assertThat(b.userAgent()).isEqualTo("baresip");
        });
        assertThat(locations.lookup(ALICE)).isEqualTo(bindings);
        assertThat(store.rowsOf(ALICE)).isEqualTo(bindings);
    }

    @Test
    void sameCallIdWithHigherCseqRefreshesTheBinding() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))).join();
        clock.advance(Duration.ofSeconds(500));

        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 2, 600, contact(PHONE))));

        assertThat(bindings).singleElement().satisfies(b -> {
            assertThat(b.expiresInSeconds(clock.instant())).isEqualTo(600);
            assertThat(b.cseq()).isEqualTo(2);
        });
        assertThat(locations.bindingCount()).isEqualTo(1);
    }

    @Test
    void refreshRecordsTheNewSourceAddress() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))).join();
        RegisterRequest fromNewNat = new RegisterRequest(ALICE, false, List.of(contact(PHONE)), 600, "c1", 2,
                "203.0.113.50", 40123, "tcp", "baresip");

        assertThat(ok(locations.register(fromNewNat))).singleElement().satisfies(b -> {
            assertThat(b.sourceHost()).isEqualTo("203.0.113.50");
            assertThat(b.sourcePort()).isEqualTo(40123);
            assertThat(b.transport()).isEqualTo("TCP");
        });
    }

    @Test
    void anAorHoldsSeveralContactsFromOneOrSeveralRequests() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE), contact(LAPTOP))).join();

        List<Binding> bindings = ok(locations.register(register(ALICE, "other", 1, 600, contact(TABLET))));

        assertThat(bindings).extracting(Binding::contactUri).containsExactlyInAnyOrder(PHONE, LAPTOP, TABLET);
        assertThat(locations.bindingCount()).isEqualTo(3);
        assertThat(locations.aorCount()).isEqualTo(1);
    }

    @Test
    void expiresParameterWinsOverExpiresHeaderWhichWinsOverTheDefault() {
        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 1, 300,
                contact(PHONE, 900, null), contact(LAPTOP))));
        List<Binding> withDefault = ok(locations.register(register("sip:bob@example.com", "c2", 1, null,
                contact("sip:bob@192.0.2.1"))));

        assertThat(expiresOf(bindings, PHONE)).isEqualTo(900);
        assertThat(expiresOf(bindings, LAPTOP)).isEqualTo(300);
        assertThat(withDefault.get(0).expiresInSeconds(clock.instant())).isEqualTo(props.defaultExpires());
    }

    @Test
    void expiryIsCutToTheMaximum() {
        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 1, 100_000, contact(PHONE))));

        assertThat(bindings.get(0).expiresInSeconds(clock.instant())).isEqualTo(props.maxExpires());
    }

    @Test
    void tooBriefAnExpiryIsRefusedWith423AndMinExpires() {
        assertThat(locations.register(register(ALICE, "c1", 1, 30, contact(PHONE))).join())
                .isEqualTo(new RegisterOutcome.IntervalTooBrief(60));
        assertThat(locations.register(register(ALICE, "c1", 2, 3600, contact(PHONE), contact(LAPTOP, 59, null))).join())
                .isEqualTo(new RegisterOutcome.IntervalTooBrief(60));

        assertThat(locations.lookup(ALICE)).isEmpty();
        assertThat(store.applied()).isEmpty();
    }

    @Test
    void expiresZeroRemovesThatContactOnly() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE), contact(LAPTOP))).join();

        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 2, null, contact(PHONE, 0, null))));

        assertThat(bindings).extracting(Binding::contactUri).containsExactly(LAPTOP);
        assertThat(store.rowsOf(ALICE)).extracting(Binding::contactUri).containsExactly(LAPTOP);
    }

    @Test
    void wildcardWithExpiresZeroRemovesEveryBinding() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE), contact(LAPTOP))).join();
        locations.register(register(ALICE, "c2", 7, 600, contact(TABLET))).join();

        assertThat(ok(locations.register(wildcard(ALICE, "c3", 1, 0)))).isEmpty();

        assertThat(locations.lookup(ALICE)).isEmpty();
        assertThat(locations.all()).isEmpty();
        assertThat(locations.bindingCount()).isZero();
        assertThat(locations.aorCount()).isZero();
        assertThat(store.rowsOf(ALICE)).isEmpty();
    }

    @Test
    void wildcardIsABadRequestWithAnotherContactOrWithoutExpiresZero() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))).join();

        assertThat(locations.register(wildcard(ALICE, "c1", 2, 3600)).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Contact: * requires Expires: 0"));
        assertThat(locations.register(wildcard(ALICE, "c1", 3, null)).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Contact: * requires Expires: 0"));
        assertThat(locations.register(wildcard(ALICE, "c1", 4, 0, contact(LAPTOP))).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Contact: * must be the only Contact"));
        assertThat(locations.lookup(ALICE)).hasSize(1);
    }

    @Test
    void anOlderOrRepeatedCseqOfTheSameCallIdIsIgnoredForThatBinding() {
        locations.register(register(ALICE, "c1", 5, 600, contact(PHONE))).join();
        clock.advance(Duration.ofSeconds(100));

        List<Binding> afterOlder = ok(locations.register(register(ALICE, "c1", 4, 0, contact(PHONE))));
        List<Binding> afterRetransmission = ok(locations.register(register(ALICE, "c1", 5, 3600, contact(PHONE))));

        assertThat(afterOlder).singleElement().satisfies(b -> assertThat(b.cseq()).isEqualTo(5));
        assertThat(afterRetransmission).singleElement()
                .satisfies(b -> assertThat(b.expiresInSeconds(clock.instant())).isEqualTo(500));
    }

    @Test
    void theOtherContactsOfAnOutOfOrderRequestStillApply() {
        locations.register(register(ALICE, "c1", 5, 600, contact(PHONE))).join();
        locations.register(register(ALICE, "c2", 1, 600, contact(LAPTOP))).join();

        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 3, 0, contact(PHONE), contact(LAPTOP))));

        assertThat(bindings).extracting(Binding::contactUri).containsExactly(PHONE);
    }

    @Test
    void anOutOfOrderWildcardLeavesTheBindingsOfThatCallId() {
        locations.register(register(ALICE, "c1", 5, 600, contact(PHONE))).join();
        locations.register(register(ALICE, "c2", 1, 600, contact(LAPTOP))).join();

        assertThat(ok(locations.register(wildcard(ALICE, "c1", 4, 0))))
                .extracting(Binding::contactUri).containsExactly(PHONE);
    }

    @Test
    void aNewCallIdMayStartAgainAtALowCseqAfterAReboot() {
        locations.register(register(ALICE, "before-reboot", 100, 600, contact(PHONE))).join();

        List<Binding> bindings = ok(locations.register(register(ALICE, "after-reboot", 1, 900, contact(PHONE))));

        assertThat(bindings).singleElement().satisfies(b -> {
            assertThat(b.callId()).isEqualTo("after-reboot");
            assertThat(b.expiresInSeconds(clock.instant())).isEqualTo(900);
        });
    }

    @Test
    void qValuesAreKeptAndTheHighestComesFirst() {
        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 1, 600,
                contact(PHONE, null, 0.5f), contact(LAPTOP), contact(TABLET, null, 0.9f))));

        assertThat(bindings).extracting(Binding::contactUri).containsExactly(LAPTOP, TABLET, PHONE);
        assertThat(bindings).extracting(Binding::q).containsExactly(1.0f, 0.9f, 0.5f);
        assertThat(locations.lookup(ALICE)).isEqualTo(bindings);
    }

    @Test
    void expiredBindingsAreNeverReturnedAndTheSweeperRemovesThem() {
        locations.register(register(ALICE, "c1", 1, 60, contact(PHONE))).join();
        locations.register(register(ALICE, "c2", 1, 600, contact(LAPTOP))).join();
        clock.advance(Duration.ofSeconds(60));

        assertThat(locations.lookup(ALICE)).extracting(Binding::contactUri).containsExactly(LAPTOP);
        assertThat(locations.all().get(ALICE)).extracting(Binding::contactUri).containsExactly(LAPTOP);
        assertThat(ok(locations.register(register(ALICE, "c3", 1, null))))
                .extracting(Binding::contactUri).containsExactly(LAPTOP);

        assertThat(locations.sweep()).isEqualTo(1);
        assertThat(locations.bindingCount()).isEqualTo(1);
        assertThat(store.rowsOf(ALICE)).extracting(Binding::contactUri).containsExactly(LAPTOP);
        assertThat(locations.sweep()).isZero();
    }

    @Test
    void aRegisterWithoutContactIsAQueryThatChangesNothing() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))).join();
        int writes = store.applied().size();

        assertThat(ok(locations.register(register(ALICE, "c9", 1, 600)))).extracting(Binding::contactUri)
                .containsExactly(PHONE);
        assertThat(store.applied()).hasSize(writes);
    }

    @Test
    void moreContactsThanAllowedAreRefusedAndNothingChanges() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE), contact(LAPTOP), contact(TABLET))).join();

        assertThat(locations.register(register(ALICE, "c2", 1, 600, contact("sip:alice@192.0.2.99"))).join())
                .isEqualTo(new RegisterOutcome.TooManyContacts(3));
        assertThat(locations.lookup(ALICE)).hasSize(3);
        assertThat(ok(locations.register(register(ALICE, "c1", 2, 600, contact(PHONE))))).hasSize(3);
    }

    @Test
    void contactUrisCompareWithCaseInsensitiveSchemeHostAndParametersInAnyOrder() {
        locations.register(register(ALICE, "c1", 1, 600, contact("sip:alice@EXAMPLE.org;transport=UDP;ob"))).join();

        List<Binding> bindings = ok(locations.register(register(ALICE, "c1", 2, 600,
                contact("SIP:alice@example.ORG;ob;transport=udp"))));

        assertThat(bindings).extracting(Binding::contactUri).containsExactly("SIP:alice@example.ORG;ob;transport=udp");
        assertThat(store.rowsOf(ALICE)).extracting(Binding::contactUri)
                .containsExactly("SIP:alice@example.ORG;ob;transport=udp");
        assertThat(ok(locations.register(register(ALICE, "c1", 3, 600,
                contact("sip:Alice@example.org;ob;transport=udp"))))).as("the user part is case-sensitive").hasSize(2);
    }

    @Test
    void malformedValuesAreBadRequests() {
        assertThat(locations.register(register(ALICE, "c1", 1, 600, contact(PHONE, null, 1.5f))).join())
                .isEqualTo(new RegisterOutcome.BadRequest("q must lie between 0 and 1 in Contact " + PHONE));
        assertThat(locations.register(register(ALICE, "c1", 1, 600, contact(PHONE, -1, null))).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Negative expires parameter in Contact " + PHONE));
        assertThat(locations.register(register(ALICE, "", 1, 600, contact(PHONE))).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Missing Call-ID"));
        assertThat(locations.register(register(ALICE, "c1", 1, -5, contact(PHONE))).join())
                .isEqualTo(new RegisterOutcome.BadRequest("Negative Expires"));
    }

    @Test
    void aChangeIsAnsweredOnlyOnceTheStoreHasCommittedIt() {
        store.holdCommits();

        CompletableFuture<RegisterOutcome> outcome = locations.register(register(ALICE, "c1", 1, 600, contact(PHONE)));

        assertThat(outcome).isNotDone();
        store.commitHeld();
        assertThat(outcome).isCompletedWithValueMatching(o -> o instanceof RegisterOutcome.Ok);
    }

    @Test
    void whenTheStoreRefusesWorkTheRegisterFailsAndMemoryIsUnchanged() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE))).join();
        store.refuseWork(true);

        CompletableFuture<RegisterOutcome> outcome = locations.register(register(ALICE, "c1", 2, 600, contact(LAPTOP)));

        assertThatThrownBy(outcome::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(locations.lookup(ALICE)).extracting(Binding::contactUri).containsExactly(PHONE);
        assertThat(locations.bindingCount()).isEqualTo(1);
    }

    @Test
    void removeDeletesEveryBindingOfTheAor() {
        locations.register(register(ALICE, "c1", 1, 600, contact(PHONE), contact(LAPTOP))).join();

        assertThat(locations.remove(ALICE).join()).isTrue();
        assertThat(locations.remove(ALICE).join()).isFalse();
        assertThat(locations.lookup(ALICE)).isEmpty();
        assertThat(store.rowsOf(ALICE)).isEmpty();
    }

    @Test
    void loadRestoresLiveBindingsAndDropsExpiredRows() {
        Instant now = clock.instant();
        Binding live = new Binding(ALICE, PHONE, now.plusSeconds(120), 0.8f, "c1", 3, "198.51.100.7", 5062, "UDP",
                "baresip", now.minusSeconds(10));
        Binding expired = new Binding(ALICE, LAPTOP, now.minusSeconds(1), 1f, "c2", 1, "203.0.113.9", 5060, "TCP",
                null, now.minusSeconds(3600));
        store.preload(live);
        store.preload(expired);

        locations.load();

        assertThat(locations.lookup(ALICE)).containsExactly(live);
        assertThat(locations.bindingCount()).isEqualTo(1);
        assertThat(store.rowsOf(ALICE)).containsExactly(live);
    }

    private long expiresOf(List<Binding> bindings, String uri) {
        return bindings.stream().filter(b -> b.contactUri().equals(uri)).findFirst().orElseThrow()
                .expiresInSeconds(clock.instant());
    }
}
