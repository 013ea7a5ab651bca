package io.sipserver.proxy.app;

import io.sipserver.config.ShutdownProperties;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallTerminator;
import io.sipserver.proxy.routing.StatefulProxy;
import io.sipserver.proxy.shutdown.DrainGuard;
import io.sipserver.proxy.shutdown.GracefulShutdown;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.registrar.jdbc.JdbcBindingStore;
import io.sipserver.relay.MediaRelay;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Graceful shutdown on SIGTERM: drain the calls, then release relay ports, flush bindings, stop the SIP stack. */
@Configuration(proxyBeanMethods = false)
public class ShutdownConfiguration {

    @Bean
    @Order(30)
    DrainGuard drainGuard(ShutdownProperties shutdown, SipStackRuntime runtime) {
        return new DrainGuard((int) shutdown.retryAfter().toSeconds(), runtime::hasServerTransaction);
    }

    @Bean
    GracefulShutdown gracefulShutdown(ShutdownProperties shutdown, DrainGuard guard, CallRegistry calls,
            CallTerminator terminator, StatefulProxy proxy, MediaRelay relay, JdbcBindingStore bindings,
            SipStackRuntime runtime) {
        Map<String, AutoCloseable> releases = new LinkedHashMap<>();
        releases.put("the media relay", relay);
        releases.put("the binding writer", bindings);
        releases.put("the SIP stack", runtime);
        int retryAfter = (int) shutdown.retryAfter().toSeconds();
        return new GracefulShutdown(guard, calls, terminator,
                () -> proxy.abortPendingInvites(503, DrainGuard.REASON, retryAfter), shutdown.drain(), releases);
    }
}
