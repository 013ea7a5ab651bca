package io.sipserver.proxy.app;

import io.sipserver.config.CidrRange;
import io.sipserver.config.OverloadProperties;
import io.sipserver.config.RegistrarProperties;
import io.sipserver.config.SipProperties;
import io.sipserver.proxy.calls.CallMedia;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallSession;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.proxy.pipeline.CallRoutingStage;
import io.sipserver.proxy.pipeline.CancelStage;
import io.sipserver.proxy.pipeline.DigestChallenger;
import io.sipserver.proxy.pipeline.DomainStage;
import io.sipserver.proxy.pipeline.InDialogStage;
import io.sipserver.proxy.pipeline.OwnRequestStage;
import io.sipserver.proxy.pipeline.RegisterStage;
import io.sipserver.proxy.pipeline.RequestPipeline;
import io.sipserver.proxy.pipeline.SanityStage;
import io.sipserver.proxy.routing.StatefulProxy;
import io.sipserver.proxy.sip.HeaderNameCache;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.RequestGuard;
import io.sipserver.proxy.sip.SipDispatcher;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import io.sipserver.registrar.auth.DigestAuthenticator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Assembles the SIP side: the stack, the request pipeline in Kamailio's order, the stateful proxy, housekeeping. */
@Configuration(proxyBeanMethods = false)
public class SipServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SipServerConfiguration.class);

    /** Unanswered calls are forgotten after Timer C plus this margin (their final response was lost). */
    private static final Duration EARLY_CALL_MARGIN = Duration.ofSeconds(40);

    @Bean
    LocalAddresses localAddresses(SipProperties sip) {
        return LocalAddresses.from(sip);
    }

    /**
     * The proxy's own threads. Held in one bean rather than exposed as Executor beans, which would make Spring
     * Boot drop its own task executor for MVC async requests.
     */
    @Bean(destroyMethod = "close")
    SipExecutors sipExecutors() {
        return new SipExecutors();
    }

    @Bean
    SipDispatcher sipDispatcher() {
        return new SipDispatcher();
    }

    @Bean(destroyMethod = "close")
    SipStackRuntime sipStack(SipProperties sip, OverloadProperties overload, SipDispatcher dispatcher)
            throws Exception {
        SipStackRuntime runtime = SipStackRuntime.start(sip, overload, dispatcher);
        log.info("SIP listening on {}:{} ({})", sip.host(), sip.port(), sip.transports());
        return runtime;
    }

    /** Puts every {@link RequestGuard} bean into the stack's valve, in their {@code @Order}. */
    @Bean
    SmartInitializingSingleton requestGuards(SipStackRuntime runtime, ObjectProvider<RequestGuard> guards) {
        return () -> runtime.inboundValve().guardRequests(guards.orderedStream().toList());
    }

    @Bean
    SipMessages sipMessages(SipStackRuntime runtime, LocalAddresses local) {
        return new SipMessages(runtime, local);
    }

    @Bean
    CallRegistry callRegistry(Clock clock, CallMedia media) {
        CallRegistry calls = new CallRegistry(clock);
        calls.onEnd((call, reason) -> media.release(call));
        return calls;
    }

    @Bean
    StatefulProxy statefulProxy(SipStackRuntime runtime, SipMessages messages, SipExecutors executors,
            SipProperties sip, CallRegistry calls, CallMedia media) {
        StatefulProxy proxy = new StatefulProxy(runtime.provider(), messages, executors.timers(), sip.timerC(),
                CallSession.retransmittedAnswers(calls, media, messages));
        runtime.inboundValve().onStray(proxy::forwardStrayResponse);
        return proxy;
    }

    @Bean
    RequestPipeline requestPipeline(SipProperties sip, LocalAddresses local, LocationService locations,
            UserService users, DigestAuthenticator authenticator, StatefulProxy proxy, CallRegistry calls,
            CallMedia media, Clock clock, SipDispatcher dispatcher, SipStackRuntime runtime, SipMessages messages,
            SipExecutors executors, AuthFailureTracker authFailures) {
        DigestChallenger digest = new DigestChallenger(authenticator, RegistrarConfiguration.realm(sip), authFailures,
                executors.timers());
        List<CidrRange> trusted = sip.trustedPeers().stream().map(CidrRange::parse).toList();
        RequestPipeline pipeline = new RequestPipeline(List.of(
                new SanityStage(),
                new InDialogStage(local, proxy, calls, media),
                new CancelStage(proxy),
                new DomainStage(local),
                new RegisterStage(locations, digest, local, clock, executors.replies()),
                new OwnRequestStage(),
                new CallRoutingStage(local, locations, users, digest, trusted, proxy, calls, media, clock)));
        dispatcher.attach(pipeline, proxy, runtime.provider(), messages);
        // REGISTERs over UDP are served from their bytes by the same rules as RegisterStage's; what is not plain
        // enough for that reaches RegisterStage.
        runtime.serveRegistersUnparsed(local, RegistrarConfiguration.realm(sip), authenticator, authFailures,
                locations, clock, executors.replies());
        return pipeline;
    }

    /**
     * Periodic clean-up: expired bindings, calls whose end was never seen, the stack's header name cache, the kept
     * answers to REGISTERs.
     */
    @Bean(destroyMethod = "close")
    Housekeeping housekeeping(SipExecutors executors, LocationService locations, CallRegistry calls,
            RegistrarProperties registrar, SipProperties sip, SipStackRuntime runtime) {
        return new Housekeeping(executors.timers(), registrar.sweepInterval(), () -> {
            locations.sweep();
            runtime.expireRegisterAnswers();
            int ended = calls.expire(sip.timerC().plus(EARLY_CALL_MARGIN), sip.ackTimeout(), sip.dialogTimeout());
            if (ended > 0) {
                log.info("forgot {} calls whose end was never seen (no final response, no ACK or no BYE)", ended);
            }
            int names = HeaderNameCache.trim();
            if (names > 0) {
                log.info("emptied JAIN-SIP's header name cache at {} names (made-up header names)", names);
            }
        });
    }

    /** A periodic task on the SIP timer thread that never dies of an exception. */
    static final class Housekeeping implements AutoCloseable {
        private final ScheduledFuture<?> task;

        Housekeeping(ScheduledExecutorService timers, Duration every, Runnable work) {
            this.task = timers.scheduleWithFixedDelay(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("housekeeping failed", e);
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }
}
