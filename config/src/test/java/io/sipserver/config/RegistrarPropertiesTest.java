package io.sipserver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistrarPropertiesTest {

    @Test
    void aCommitIntervalLongerThanAClientWaitsIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> withCommitInterval(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registrar.commit-interval (PT1S) must lie between 0 and 200ms");
        assertThatThrownBy(() -> withCommitInterval(Duration.ofMillis(-1)))
                .hasMessageContaining("registrar.commit-interval");
    }

    @Test
    void commitIntervalsFromZeroToTheBoundAreTaken() {
        assertThat(withCommitInterval(Duration.ZERO).commitInterval()).isZero();
        assertThat(withCommitInterval(Duration.ofMillis(200)).commitInterval()).hasMillis(200);
        assertThat(RegistrarProperties.defaults().commitInterval()).hasMillis(10);
    }

    @Test
    void aFoldIntervalThatIsNotPositiveIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> withFoldInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registrar.fold-interval (PT0S) must be positive");
        assertThat(withFoldInterval(Duration.ofMillis(1)).foldInterval()).hasMillis(1);
        assertThat(RegistrarProperties.defaults().foldInterval()).hasSeconds(30);
    }

    private static RegistrarProperties withCommitInterval(Duration interval) {
        return new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10), interval, Duration.ofSeconds(30));
    }

    private static RegistrarProperties withFoldInterval(Duration interval) {
        return new RegistrarProperties(3600, 60, 7200, 10, Duration.ofSeconds(10), Duration.ofMillis(10), interval);
    }
}
