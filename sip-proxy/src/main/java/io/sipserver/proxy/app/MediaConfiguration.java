package io.sipserver.proxy.app;

import io.sipserver.admission.AdmissionMetrics;
import io.sipserver.admission.BandwidthLedger;
import io.sipserver.admission.BandwidthModel;
import io.sipserver.admission.CallAdmission;
import io.sipserver.admission.LocationDirectory;
import io.sipserver.admission.LocationLimits;
import io.sipserver.admission.ReservationBook;
import io.sipserver.admission.jdbc.JdbcLocationStore;
import io.sipserver.admission.jdbc.JdbcReservationStore;
import io.sipserver.config.AdmissionProperties;
import io.sipserver.config.RelayProperties;
import io.sipserver.proxy.calls.CallMedia;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallTerminator;
import io.sipserver.proxy.media.AnchoredCallMedia;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.SdpRewriter;
import io.sipserver.relay.netty.NettyMediaRelay;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/** The media side: RTP relay, bandwidth admission (locations, reservations, ledger) and their glue to calls. */
@Configuration(proxyBeanMethods = false)
public class MediaConfiguration {

    @Bean(destroyMethod = "close")
    MediaRelay mediaRelay(RelayProperties relay, LocalAddresses local, Clock clock) {
        String advertised = relay.advertisedAddress() == null || relay.advertisedAddress().isBlank()
                ? local.advertisedHost() : relay.advertisedAddress();
        NettyMediaRelay mediaRelay = new NettyMediaRelay(relay, advertised, clock);
        mediaRelay.warmUp(NettyMediaRelay.WARM_UP_PACKETS);
        return mediaRelay;
    }

    @Bean
    LocationDirectory locationDirectory(JdbcTemplate jdbc, TransactionOperations transactions) {
        LocationDirectory locations = new LocationDirectory(new JdbcLocationStore(jdbc, transactions));
        locations.load();
        return locations;
    }

    @Bean
    ReservationBook reservationBook(JdbcTemplate jdbc, LocationDirectory locations, Clock clock) {
        ReservationBook book = new ReservationBook(new JdbcReservationStore(jdbc), locations, clock);
        book.load();
        return book;
    }

    @Bean
    CallAdmission callAdmission(AdmissionProperties props, LocationDirectory locations, ReservationBook reservations,
            Clock clock) {
        return new CallAdmission(new BandwidthModel(props), locations,
                new BandwidthLedger(LocationLimits.of(locations, reservations)), clock);
    }

    @Bean
    AdmissionMetrics admissionMetrics(CallAdmission admission, LocationDirectory locations) {
        return new AdmissionMetrics(admission, locations);
    }

    @Bean
    CallMedia callMedia(MediaRelay relay, RelayProperties relayProps, AdmissionProperties admissionProps,
            CallAdmission admission) {
        return new AnchoredCallMedia(relay, relayProps.mode(), new SdpRewriter(),
                admissionProps.enabled() ? admission : null);
    }

    /** Media timeout: BYE to both parties, then the call (and its bandwidth and relay session) is released. */
    @Bean
    CallTerminator callTerminator(SipStackRuntime runtime, SipMessages messages, CallRegistry calls,
            MediaRelay relay) {
        CallTerminator terminator = new CallTerminator(runtime.provider(), messages, calls);
        relay.onMediaTimeout(session -> {
            if (calls.find(session.callId()).isPresent()) {
                terminator.terminate(session.callId(), "media timeout");
            } else {
                relay.release(session.id());
            }
        });
        return terminator;
    }
}
