package io.sipserver.proxy.observability;

import io.sipserver.proxy.sip.SipStackRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sip.ListeningPoint;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The SIP listener: UP while the stack runs with every configured listening point bound, with the points
 * ({@code udp 127.0.0.1:5060}) and the transaction table sizes as details.
 */
public final class SipHealthIndicator extends AbstractHealthIndicator {

    private final SipStackRuntime stack;
    private final int configuredTransports;

    /** @param configuredTransports how many listening points {@code sip.transports} asks for */
    public SipHealthIndicator(SipStackRuntime stack, int configuredTransports) {
        super("SIP health check failed");
        this.stack = stack;
        this.configuredTransports = configuredTransports;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> listening = new ArrayList<>();
        for (ListeningPoint point : stack.provider().getListeningPoints()) {
            listening.add(point.getTransport().toLowerCase(Locale.ROOT) + " " + point.getIPAddress() + ":" + point.getPort());
        }
        boolean up = stack.running() && listening.size() == configuredTransports;
        (up ? builder.up() : builder.down())
                .withDetail("listening", listening)
                .withDetail("serverTransactions", stack.serverTransactions())
                .withDetail("clientTransactions", stack.clientTransactions());
    }
}
