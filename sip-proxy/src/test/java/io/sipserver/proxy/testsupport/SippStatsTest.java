package io.sipserver.proxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SippStatsTest {

    /** Written by SIPp 3.6.1 (-trace_stat -fd 1): four REGISTER calls, the second with a wrong password. */
    private static final String SAMPLE = "sipp/stats-sample.csv";

    @TempDir
    Path dir;

    @Test
    void readsTheTotalsFromTheLastLine() throws URISyntaxException {
        SippStats stats = SippStats.read(Path.of(getClass().getClassLoader().getResource(SAMPLE).toURI()));

        assertThat(stats.successfulCalls()).isEqualTo(3);
        assertThat(stats.failedCalls()).isEqualTo(1);
        assertThat(stats.retransmissions()).isZero();
        assertThat(stats.count("OutgoingCall(C)")).isEqualTo(4);
        assertThat(stats.count("FailedUnexpectedMessage(C)")).isEqualTo(1);
    }

    @Test
    void namesAMissingColumn() throws URISyntaxException {
        SippStats stats = SippStats.read(Path.of(getClass().getClassLoader().getResource(SAMPLE).toURI()));

        assertThatIllegalArgumentException().isThrownBy(() -> stats.count("NoSuchColumn(C)"))
                .withMessageContaining("NoSuchColumn(C)");
    }

    @Test
    void aRunThatWroteNoFiguresCountsNothing() throws IOException {
        Path headerOnly = Files.writeString(dir.resolve("header.csv"), "SuccessfulCall(C);FailedCall(C)\n");

        assertThat(SippStats.readIfWritten(dir.resolve("absent.csv")).successfulCalls()).isZero();
        assertThat(SippStats.readIfWritten(headerOnly).failedCalls()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> SippStats.read(headerOnly))
                .withMessageContaining("no data line");
    }
}
