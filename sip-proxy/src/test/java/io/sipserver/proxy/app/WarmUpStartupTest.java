package io.sipserver.proxy.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipserver.config.WarmUpProperties;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.sip.SipMessagePathWarmUp;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.registrar.LocationService;
import io.sipserver.relay.MediaRelay;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The start-up warm-up in the running server: it ran its whole message set through the stack's parser, and left
 * nothing an operator could see: no registration, call, relay session, transaction or traffic count.
 */
@ServerTest
class WarmUpStartupTest {

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        TestServer.properties(registry);
        // The count, not the time, must end it, even on a slow machine.
        registry.add("sip.warm-up.max-duration", () -> "5m");
    }

    @Autowired
    WarmUpProperties properties;
    @Autowired
    SipMessagePathWarmUp.Result warmUp;
    @Autowired
    SipStackRuntime stack;
    @Autowired
    LocationService locations;
    @Autowired
    CallRegistry calls;
    @Autowired
    MediaRelay relay;
    @Autowired
    MeterRegistry meters;

    @Test
    void ranItsMessagesAtStartAndLeftNoState() {
        assertThat(warmUp.messages()).isPositive().isEqualTo(properties.messages());

        assertThat(locations.bindingCount()).isZero();
        assertThat(calls.size()).isZero();
        assertThat(relay.sessions()).isEmpty();
        assertThat(stack.serverTransactions()).isZero();
        assertThat(stack.clientTransactions()).isZero();
        assertThat(meters.find("sip.requests.received").functionCounters()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.count()).as("%s received", c.getId()).isZero());
        assertThat(meters.find("sip.responses.received").meters()).isEmpty();
        assertThat(meters.find("sip.responses.sent").meters()).isEmpty();
        assertThat(meters.find("sip.guard.refusals").meters()).isEmpty();
    }
}
