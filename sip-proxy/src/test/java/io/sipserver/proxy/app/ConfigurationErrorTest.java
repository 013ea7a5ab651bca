package io.sipserver.proxy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.proxy.SipServerApplication;
import io.sipserver.proxy.testsupport.FreePorts;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A wrong configuration value stops start-up, and what the operator reads names the key and the value. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorTest {

    @Test
    void aPortThatIsNotANumberStopsStartUpNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> start("--sip.port=notanumber")).isInstanceOf(Exception.class);

        assertThat(output).contains("APPLICATION FAILED TO START").contains("sip.port").contains("notanumber");
    }

    @Test
    void aRelayRangeUpsideDownStopsStartUpNamingTheKeys(CapturedOutput output) {
        assertThatThrownBy(() -> start("--relay.port-min=30010", "--relay.port-max=30000"))
                .isInstanceOf(Exception.class);

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("relay.port-min (30010) must not exceed relay.port-max (30000)");
    }

    @Test
    void aMessageSizeBelowTheMinimumStopsStartUpNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> start("--sip.max-message-size=100")).isInstanceOf(Exception.class);

        assertThat(output).contains("APPLICATION FAILED TO START").contains("sip.max-message-size").contains("100");
    }

    /** The application on loopback with a database of its own, plus the arguments under test (they come last). */
    private static void start(String... wrong) {
        List<String> args = new ArrayList<>(List.of(
                "--sip.host=127.0.0.1",
                "--sip.port=" + FreePorts.udpAndTcp(),
                "--server.port=0",
                "--relay.host=127.0.0.1",
                "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
                "--spring.security.user.password=unused"));
        args.addAll(List.of(wrong));
        SpringApplication.run(SipServerApplication.class, args.toArray(String[]::new)).close();
    }
}
