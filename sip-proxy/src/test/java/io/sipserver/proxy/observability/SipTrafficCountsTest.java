package io.sipserver.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.proxy.observability.SipTrafficCounts.Direction;
import io.sipserver.proxy.sip.GuardVerdict;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipTrafficCountsTest {

    private static final GuardVerdict BUSY = GuardVerdict.refuse(503, 5, "Overloaded");

    private final SipTrafficCounts counts = new SipTrafficCounts();

    @Test
    void countsRequestsByMethodWithUnknownMethodsAsOther() {
        counts.requestReceived(request("INVITE"));
        counts.requestReceived(request("INVITE"));
        counts.requestReceived(request("REGISTER"));
        counts.requestReceived(request("FOO"));

        assertThat(counts.requestsReceived(SipMethod.INVITE)).isEqualTo(2);
        assertThat(counts.requestsReceived(SipMethod.REGISTER)).isEqualTo(1);
        assertThat(counts.requestsReceived(SipMethod.OTHER)).isEqualTo(1);
        assertThat(counts.requestsReceived(SipMethod.BYE)).isZero();
    }

    @Test
    void countsResponsesByDirectionMethodOfTheirCseqAndStatus() {
        counts.responseReceived(response(180, "INVITE"));
        counts.responseReceived(response(200, "INVITE"));
        counts.responseSent(response(200, "INVITE"));
        counts.responseSent(response(200, "INVITE"));
        counts.responseSent(response(200, "BYE"));
        counts.responseSent(response(407, "INVITE"));

        assertThat(counts.responses(Direction.RECEIVED, SipMethod.INVITE, 180)).isEqualTo(1);
        assertThat(counts.responses(Direction.RECEIVED, SipMethod.INVITE, 200)).isEqualTo(1);
        assertThat(counts.responses(Direction.SENT, SipMethod.INVITE, 200)).isEqualTo(2);
        assertThat(counts.responses(Direction.SENT, SipMethod.BYE, 200)).isEqualTo(1);
        assertThat(counts.responses(Direction.SENT, SipMethod.INVITE, 407)).isEqualTo(1);
        assertThat(counts.responses(Direction.RECEIVED, SipMethod.BYE, 200)).isZero();
    }

    @Test
    void countsGuardStopsByGuardAndStatusWithDropsAsZero() {
        counts.guardStopped("FloodGuard", GuardVerdict.DROP);
        counts.guardStopped("FloodGuard", GuardVerdict.DROP);
        counts.guardStopped("OverloadGuard", BUSY);

        assertThat(counts.guardStops("FloodGuard", 0)).isEqualTo(2);
        assertThat(counts.guardStops("OverloadGuard", 503)).isEqualTo(1);
        assertThat(counts.guardStops("OverloadGuard", 0)).isZero();
        assertThat(counts.guardStops("DrainGuard", 503)).isZero();
    }

    @Test
    void theListenerHearsOfEachSeriesOnceIncludingThoseCountedBeforeItListened() {
        counts.responseSent(response(200, "REGISTER"));
        counts.guardStopped("FloodGuard", GuardVerdict.DROP);
        List<String> heard = new ArrayList<>();
        counts.listen(new SipTrafficCounts.SeriesListener() {
            @Override
            public void newResponseSeries(Direction direction, SipMethod method, int status) {
                heard.add(direction + " " + method + " " + status);
            }

            @Override
            public void newGuardSeries(String guard, int status) {
                heard.add(guard + " " + status);
            }
        });

        counts.responseSent(response(200, "REGISTER"));
        counts.responseReceived(response(486, "INVITE"));
        counts.responseReceived(response(486, "INVITE"));
        counts.guardStopped("OverloadGuard", BUSY);
        counts.guardStopped("OverloadGuard", BUSY);

        assertThat(heard).containsExactly("SENT REGISTER 200", "FloodGuard 0", "RECEIVED INVITE 486",
                "OverloadGuard 503");
    }

    @Test
    void countingAllocatesNothing() {
        SIPRequest invite = request("INVITE");
        SIPResponse ok = response(200, "INVITE");
        counts.guardStopped("OverloadGuard", BUSY);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        countMany(invite, ok);
        long before = threads.getThreadAllocatedBytes(thread);
        countMany(invite, ok);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated for 400,000 counts").isLessThan(10_000);
        assertThat(counts.requestsReceived(SipMethod.INVITE)).isEqualTo(200_000);
    }

    private void countMany(SIPRequest request, SIPResponse response) {
        for (int i = 0; i < 100_000; i++) {
            counts.requestReceived(request);
            counts.responseReceived(response);
            counts.responseSent(response);
            counts.guardStopped("OverloadGuard", BUSY);
        }
    }

    static SIPRequest request(String method) {
        SIPRequest request = new SIPRequest();
        request.setMethod(method);
        return request;
    }

    static SIPResponse response(int status, String method) {
        try {
            SIPResponse response = new SIPResponse();
            response.setStatusCode(status);
            response.setHeader(new CSeq(1, method));
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
