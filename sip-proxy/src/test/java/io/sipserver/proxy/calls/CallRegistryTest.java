package io.sipserver.proxy.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallRegistryTest {

    private static final Duration EARLY = Duration.ofSeconds(190);
    private static final Duration ACK = Duration.ofSeconds(32);
    private static final Duration DIALOG = Duration.ofHours(12);

    private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
    private final CallRegistry calls = new CallRegistry(clock);
    private final List<String> ended = new ArrayList<>();

    CallRegistryTest() {
        calls.onEnd((call, reason) -> ended.add(call.callId() + ":" + reason));
    }

    private void start(String callId) {
        calls.start(new CallRecord(callId, "from-" + callId, "sip:a@x", "sip:b@x", "a", "b", clock.instant(),
                "z9hG4bK" + callId));
    }

    private void answer(String callId) {
        calls.confirmed(callId, "to-" + callId, new CallLeg("sip:b@127.0.0.1", "127.0.0.1", 5070, "udp"));
    }

    private int expire() {
        return calls.expire(EARLY, ACK, DIALOG);
    }

    @Test
    void anAnsweredCallThatNoAckFollowedEndsAfterTheAckLimit() {
        start("unacked");
        start("acked");
        answer("unacked");
        answer("acked");
        calls.find("acked").orElseThrow().acknowledge();

        clock.advance(ACK);
        assertThat(expire()).as("not yet: exactly at the limit").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(expire()).isEqualTo(1);
        assertThat(ended).containsExactly("unacked:timeout");
        assertThat(calls.find("acked")).as("an acknowledged call lives on until its BYE").isPresent();
    }

    @Test
    void anAcknowledgedCallEndsOnlyAfterTheDialogLimit() {
        start("c");
        answer("c");
        calls.find("c").orElseThrow().acknowledge();
        clock.advance(DIALOG);
        assertThat(expire()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(expire()).isEqualTo(1);
        assertThat(ended).containsExactly("c:timeout");
    }

    @Test
    void anUnansweredCallIsNotHeldToTheAckLimit() {
        start("ringing");
        calls.early("ringing");
        clock.advance(ACK.plusSeconds(60));
        assertThat(expire()).as("ringing longer than 64*T1 is normal").isZero();
        clock.advance(EARLY);
        assertThat(expire()).isEqualTo(1);
        assertThat(ended).containsExactly("ringing:timeout");
    }
}
