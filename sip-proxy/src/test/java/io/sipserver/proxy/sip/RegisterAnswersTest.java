package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RegisterAnswersTest {

    private long now;
    private final RegisterAnswers answers = new RegisterAnswers(2, () -> now);
    private final InetAddress phone = InetAddress.getLoopbackAddress();

    @Test
    void anAnswerIsPendingUntilSentThenKeptForItsRetransmissions() {
        answers.claim("z9hg4bk-1", phone, 5070);
        assertThat(answers.find("z9hg4bk-1").datagram()).as("pending").isNull();
        byte[] sent = {1, 2, 3};
        answers.sent("z9hg4bk-1", sent);
        assertThat(answers.find("z9hg4bk-1").datagram()).isSameAs(sent);
        assertThat(answers.find("z9hg4bk-1").from(phone, 5070)).isTrue();
        assertThat(answers.find("z9hg4bk-1").from(phone, 5071)).as("another client reusing the branch").isFalse();
        assertThat(answers.find("z9hg4bk-2")).isNull();
    }

    @Test
    void aReleasedClaimIsForgotten() {
        answers.claim("z9hg4bk-1", phone, 5070);
        answers.release("z9hg4bk-1");
        assertThat(answers.find("z9hg4bk-1")).isNull();
        answers.sent("z9hg4bk-1", new byte[1]);
        assertThat(answers.size()).isZero();
    }

    @Test
    void answersAreKeptFiveSecondsAndAtMostCapacityOfThem() {
        answers.claim("z9hg4bk-1", phone, 5070);
        now += 1_000_000_000L;
        answers.claim("z9hg4bk-2", phone, 5070);
        answers.claim("z9hg4bk-3", phone, 5070);
        assertThat(answers.find("z9hg4bk-1")).as("the oldest, dropped for room").isNull();
        assertThat(answers.size()).isEqualTo(2);
        now += RegisterAnswers.LINGER_NANOS;
        assertThat(answers.find("z9hg4bk-3")).isNull();
        assertThat(answers.size()).isZero();
    }
}
