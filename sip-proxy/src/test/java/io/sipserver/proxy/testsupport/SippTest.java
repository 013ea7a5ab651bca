package io.sipserver.proxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SippTest {

    @TempDir
    Path dir;

    @Test
    void runsTheInstalledSipp() {
        Sipp.Result result = Sipp.locate().exec(Duration.ofSeconds(10), "-v");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(Sipp.EXIT_NO_CALL_PROCESSED);
        assertThat(result.outputTail()).contains("SIPp v3.");
    }

    @Test
    void prefersSippOnThePath() throws IOException {
        Path fake = Files.createFile(dir.resolve("sipp"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Sipp.find(dir.toString())).contains(fake);
    }

    @Test
    void skipsPathEntriesWithoutAnExecutableSipp() throws IOException {
        Files.createFile(dir.resolve("sipp"));

        assertThat(Sipp.find(dir.toString())).isEqualTo(Sipp.find(""));
    }
}
