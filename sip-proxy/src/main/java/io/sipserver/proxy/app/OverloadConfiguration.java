package io.sipserver.proxy.app;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.config.OverloadProperties;
import io.sipserver.proxy.guard.OverloadGuard;
import io.sipserver.proxy.sip.RequestGuard;
import io.sipserver.proxy.sip.SipStackRuntime;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Overload control: the guard that answers 503 to new work while the stack is behind, in the valve and, over UDP,
 * from the datagrams' bytes before parsing.
 */
@Configuration(proxyBeanMethods = false)
public class OverloadConfiguration {

    @Bean
    @Order(20)
    @ConditionalOnBooleanProperty(name = "sip.overload.enabled", matchIfMissing = true)
    RequestGuard overloadGuard(SipStackRuntime runtime, OverloadProperties overload) {
        OverloadGuard.Load load = new OverloadGuard.Load() {
            @Override
            public long delayMillis() {
                return runtime.udpDelayMillis();
            }

            @Override
            public int queuedMessages() {
                return runtime.udpQueuedMessages();
            }

            @Override
            public int queuedNewWork() {
                return runtime.udpQueuedNewWork();
            }

            @Override
            public double newWorkDonePerSecond() {
                return runtime.udpNewWorkDonePerSecond();
            }

            @Override
            public int serverTransactions() {
                return runtime.serverTransactions();
            }

            @Override
            public boolean admittedUnparsed() {
                return runtime.servingUdpNewWork();
            }

            @Override
            public boolean inProgress(SIPRequest request) {
                return runtime.hasServerTransaction(request);
            }
        };
        OverloadGuard guard = new OverloadGuard(load, overload.maxDelay(), overload.minQueued(),
                overload.maxServerTransactions(), overload.retryAfter());
        runtime.refuseNewWorkUnparsed(guard);
        return guard;
    }
}
