package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SocketAddressesTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1:4000, 127.0.0.1, 4000", "'[::1]:5004', ::1, 5004", "'[2001:db8::7]:65535', 2001:db8::7, 65535"})
    void parsesLiteralHostAndPort(String text, String host, int port) {
        assertThat(SocketAddresses.parseHostPort(text)).isEqualTo(new InetSocketAddress(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1|expected host:port",
            "127.0.0.1:|expected host:port",
            "127.0.0.1:0|port out of range",
            "127.0.0.1:70000|port out of range",
            "127.0.0.1:x|port is not a number",
            "::1:4000|needs brackets",
            "example.com:4000|not an IP address",
            "300.1.1.1:4000|not an IP address"})
    void refusesWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> SocketAddresses.parseHostPort(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "phone.example.com", "1.2.3", "01.2.3.4", "", "1.2.3.4.5", "256.1.1.1",
            "1..2.3", "1.2.3.4.", ".1.2.3", "1.2.3.04", "1.2.3.1000", "1.2.3.4a", " 1.2.3.4"})
    void hostNamesAndGarbageAreNoLiterals(String host) {
        assertThat(SocketAddresses.literal(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "192.0.2.199", "255.255.255.255", "::ffff:192.0.2.1", "2001:db8::1"})
    void ipLiteralsAreTheAddressesTheJdkReads(String host) throws Exception {
        assertThat(SocketAddresses.literal(host)).contains(java.net.InetAddress.getByName(host));
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.1, 4000, 192.0.2.1:4000", "2001:db8::1, 4000, '[2001:db8:0:0:0:0:0:1]:4000'"})
    void formatsHostAndPort(String host, int port, String text) {
        assertThat(SocketAddresses.format(new InetSocketAddress(host, port))).isEqualTo(text);
    }
}
