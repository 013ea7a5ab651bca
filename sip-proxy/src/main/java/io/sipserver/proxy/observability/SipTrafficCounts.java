package io.sipserver.proxy.observability;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.sip.SipTraffic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Response;

/**
 * Counts SIP traffic: requests received by method, responses received and sent by method (of their CSeq) and
 * status code, and the requests each guard stopped, by status (0 for a silent drop). Counting is an array
 * increment: no allocation, no lock, whatever the load.
 *
 * <p>Most (method, status) pairs never occur, so a meter registry should only show the ones that did: the
 * {@link SeriesListener} hears of each pair once, on its first count.
 */
public final class SipTrafficCounts implements SipTraffic {

    /** Which way a response went. */
    public enum Direction { RECEIVED, SENT }

    /** Hears once of each series that got its first count; called on the thread that counted it. */
    public interface SeriesListener {

        void newResponseSeries(Direction direction, SipMethod method, int status);

        /** @param status the refusal's status code, or 0 for a drop */
        void newGuardSeries(String guard, int status);
    }

    /** Slot 0 is a guard's silent drop; 100-699 are status codes. */
    private static final int SLOTS = 700;
    private static final SeriesListener NOBODY = new SeriesListener() {
        @Override
        public void newResponseSeries(Direction direction, SipMethod method, int status) {
        }

        @Override
        public void newGuardSeries(String guard, int status) {
        }
    };

    private final AtomicLongArray requests = new AtomicLongArray(SipMethod.COUNT);
    private final AtomicLongArray responses = new AtomicLongArray(Direction.values().length * SipMethod.COUNT * SLOTS);
    private final Map<String, AtomicLongArray> guards = new ConcurrentHashMap<>();
    private volatile SeriesListener listener = NOBODY;

    @Override
    public void requestReceived(SIPRequest request) {
        rawRequestReceived(request.getMethod());
    }

    @Override
    public void rawRequestReceived(String method) {
        requests.incrementAndGet(SipMethod.of(method).ordinal());
    }

    @Override
    public void responseReceived(SIPResponse response) {
        countResponse(Direction.RECEIVED, response.getCSeq(), response.getStatusCode());
    }

    @Override
    public void responseSent(Response response) {
        countResponse(Direction.SENT, ((SIPMessage) response).getCSeq(), response.getStatusCode());
    }

    @Override
    public void rawResponseSent(String method, int status) {
        countResponse(Direction.SENT, SipMethod.of(method), status);
    }

    @Override
    public void guardStopped(String guard, GuardVerdict verdict) {
        int status = slot(verdict.status());
        AtomicLongArray counts = guards.get(guard);
        if (counts == null) {
            counts = guards.computeIfAbsent(guard, name -> new AtomicLongArray(SLOTS));
        }
        if (counts.incrementAndGet(status) == 1) {
            listener.newGuardSeries(guard, status);
        }
    }

    public long requestsReceived(SipMethod method) {
        return requests.get(method.ordinal());
    }

    public long responses(Direction direction, SipMethod method, int status) {
        return responses.get(index(direction, method, slot(status)));
    }

    /** Requests {@code guard} stopped with {@code status} (0: dropped). */
    public long guardStops(String guard, int status) {
        AtomicLongArray counts = guards.get(guard);
        return counts == null ? 0 : counts.get(slot(status));
    }

    /** Sets the listener and tells it of every series counted so far (a series may be told twice in a race). */
    public void listen(SeriesListener newListener) {
        this.listener = newListener;
        for (int i = 0; i < responses.length(); i++) {
            if (responses.get(i) > 0) {
                int slot = i % SLOTS;
                int series = i / SLOTS;
                newListener.newResponseSeries(Direction.values()[series / SipMethod.COUNT],
                        SipMethod.ofOrdinal(series % SipMethod.COUNT), slot);
            }
        }
        guards.forEach((guard, counts) -> {
            for (int slot = 0; slot < SLOTS; slot++) {
                if (counts.get(slot) > 0) {
                    newListener.newGuardSeries(guard, slot);
                }
            }
        });
    }

    private void countResponse(Direction direction, CSeqHeader cseq, int status) {
        countResponse(direction, SipMethod.of(cseq == null ? null : cseq.getMethod()), status);
    }

    private void countResponse(Direction direction, SipMethod method, int status) {
        int slot = slot(status);
        if (responses.incrementAndGet(index(direction, method, slot)) == 1) {
            listener.newResponseSeries(direction, method, slot);
        }
    }

    private static int index(Direction direction, SipMethod method, int slot) {
        return (direction.ordinal() * SipMethod.COUNT + method.ordinal()) * SLOTS + slot;
    }

    /** A status code's slot; 0 for anything that is not one (the parser admits only 100-699). */
    private static int slot(int status) {
        return status >= 100 && status < SLOTS ? status : 0;
    }
}
