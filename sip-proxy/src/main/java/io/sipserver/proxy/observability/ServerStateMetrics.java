package io.sipserver.proxy.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.registrar.LocationService;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.RelayTraffic;
import java.util.function.ToLongFunction;

/**
 * What the server holds now, read when the registry is scraped (nothing is counted on the message or packet path):
 * JAIN-SIP's transaction tables, live calls, registrations, relay sessions and free port pairs, and the relay's
 * traffic totals.
 */
public final class ServerStateMetrics implements MeterBinder {

    private final SipStackRuntime stack;
    private final CallRegistry calls;
    private final LocationService locations;
    private final MediaRelay relay;

    public ServerStateMetrics(SipStackRuntime stack, CallRegistry calls, LocationService locations, MediaRelay relay) {
        this.stack = stack;
        this.calls = calls;
        this.locations = locations;
        this.relay = relay;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sip.transactions", stack, SipStackRuntime::serverTransactions)
                .description("Transactions in the SIP stack's tables")
                .tag("kind", "server")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.transactions", stack, SipStackRuntime::clientTransactions)
                .description("Transactions in the SIP stack's tables")
                .tag("kind", "client")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.udp.queue.messages", stack, SipStackRuntime::udpQueuedMessages)
                .description("UDP datagrams waiting for a SIP worker thread")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.udp.delay", stack, SipStackRuntime::udpDelayMillis)
                .description("Standing delay: the shortest time a datagram took from arrival until processed over the last 250 ms (the overload signal)")
                .baseUnit("milliseconds")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder("sip.udp.queue.dropped", stack, SipStackRuntime::udpDatagramsDropped)
                .description("UDP datagrams dropped on arrival because the receive queue was full")
                .register(registry);
        Gauge.builder("sip.calls.active", calls, CallRegistry::size)
                .description("Calls from INVITE to their end (ringing and answered)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.registrations.bindings", locations, LocationService::bindingCount)
                .description("Registered contacts (expired ones count until the sweeper removes them)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.registrations.aors", locations, LocationService::aorCount)
                .description("Addresses-of-record with registered contacts")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.relay.sessions", relay, r -> r.sessions().size())
                .description("Live relay sessions")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sip.relay.port.pairs.free", relay, MediaRelay::freePortPairs)
                .description("Relay port pairs (RTP and RTCP) free for new streams")
                .strongReference(true)
                .register(registry);
        relayCounter(registry, "sip.relay.rtp.packets", null, "RTP packets the relay received and accepted",
                RelayTraffic::packets);
        relayCounter(registry, "sip.relay.rtp", "bytes", "UDP payload bytes of those RTP packets",
                RelayTraffic::bytes);
        relayCounter(registry, "sip.relay.dropped.packets", null,
                "RTP and RTCP packets dropped for coming from another source than the latched one",
                RelayTraffic::droppedPackets);
    }

    private void relayCounter(MeterRegistry registry, String name, String unit, String description,
            ToLongFunction<RelayTraffic> figure) {
        FunctionCounter.builder(name, relay, r -> figure.applyAsLong(r.traffic()))
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }
}
