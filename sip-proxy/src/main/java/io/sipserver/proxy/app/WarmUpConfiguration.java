package io.sipserver.proxy.app;

import io.sipserver.admission.BandwidthModel;
import io.sipserver.config.AdmissionProperties;
import io.sipserver.config.WarmUpProperties;
import io.sipserver.proxy.pipeline.RequestPipeline;
import io.sipserver.proxy.sip.SipMessagePathWarmUp;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.SipStackRuntime;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Warms up the SIP message path while the application starts: singletons are created before the server reports
 * ready (and before its HTTP port accepts connections), so the warm-up is over when a load balancer or a
 * benchmark starts sending. Requests that arrive at the SIP port meanwhile wait in the receive queue.
 */
@Configuration(proxyBeanMethods = false)
public class WarmUpConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarmUpConfiguration.class);

    /**
     * What the start-up warm-up did: no messages when it is turned off or failed. A failure is a defect of the
     * warm-up, not of the server, which then starts cold.
     *
     * @param servingRegistersUnparsed asked for so that it exists first: its bean sets up the UDP listening points'
     *     path of REGISTERs, which the warm-up runs too
     */
    @Bean
    SipMessagePathWarmUp.Result sipWarmUp(WarmUpProperties warmUp, SipStackRuntime runtime, SipMessages messages,
            AdmissionProperties admission, RequestPipeline servingRegistersUnparsed) {
        if (!warmUp.enabled()) {
            return new SipMessagePathWarmUp.Result(0, Duration.ZERO);
        }
        try {
            SipMessagePathWarmUp.Result result = new SipMessagePathWarmUp(runtime.messageParser(), messages,
                    new BandwidthModel(admission), runtime::rehearseUnparsedRegister)
                    .run(warmUp.messages(), warmUp.maxDuration());
            log.info("SIP message path warmed up: {} of {} messages in {} ms", result.messages(), warmUp.messages(),
                    result.took().toMillis());
            return result;
        } catch (IllegalStateException e) {
            log.warn("SIP message path warm-up failed", e);
            return new SipMessagePathWarmUp.Result(0, Duration.ZERO);
        }
    }
}
