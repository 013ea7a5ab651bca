package io.sipserver.proxy.pipeline;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.SipMessages;
import java.net.InetAddress;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One received request on its way through the stages, with where it came from and how to answer it. */
public final class RequestContext {

    private static final Logger log = LoggerFactory.getLogger(RequestContext.class);

    /**
     * The stack keeps a completed non-INVITE server transaction for Timer J = 64 x T1, i.e. 32 s, to absorb
     * retransmissions. A client stops retransmitting as soon as the final response reaches it, so only copies
     * already in flight can still arrive; Kamailio waits 5 s for them. Keeping every REGISTER for 32 s instead
     * would hold half a million transactions (about a gigabyte) at 16,000 registrations per second. The stack
     * derives Timer J from the transaction's T1, so T1 = 5000 / 64 ms gives a 5 s wait; a non-INVITE server
     * transaction uses T1 for nothing else.
     */
    private static final int NON_INVITE_T1_MS = 5000 / 64;

    private final RequestEvent event;
    private final SipProvider provider;
    private final SipMessages sip;
    private final Request request;
    private final String method;
    private final InetAddress sourceAddress;
    private final int sourcePort;
    private final String transport;
    private ServerTransaction serverTransaction;
    private String authenticatedUser;

    public RequestContext(RequestEvent event, SipProvider provider, SipMessages sip) {
        this.event = event;
        this.provider = provider;
        this.sip = sip;
        this.request = event.getRequest();
        this.method = request.getMethod();
        SIPRequest raw = (SIPRequest) request;
        this.sourceAddress = raw.getRemoteAddress();
        this.sourcePort = raw.getRemotePort();
        this.transport = raw.getTopmostVia().getTransport().toUpperCase();
    }

    public Request request() {
        return request;
    }

    public String method() {
        return method;
    }

    public boolean is(String m) {
        return method.equals(m);
    }

    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    public String sourceHost() {
        return sourceAddress.getHostAddress();
    }

    public int sourcePort() {
        return sourcePort;
    }

    /** UDP or TCP, as the request arrived. */
    public String transport() {
        return transport;
    }

    public SipProvider provider() {
        return provider;
    }

    public SipMessages sip() {
        return sip;
    }

    /** User name proven by digest authentication, or null (trusted peer, or not authenticated yet). */
    public String authenticatedUser() {
        return authenticatedUser;
    }

    public void authenticatedUser(String user) {
        this.authenticatedUser = user;
    }

    /**
     * The server transaction for this request, created on first use. A retransmission that races its original
     * (both reach the listener before the stack has matched them) gets {@link DuplicateRequest}: drop it.
     */
    public ServerTransaction serverTransaction() throws SipException {
        if (serverTransaction == null) {
            serverTransaction = event.getServerTransaction();
            if (serverTransaction == null) {
                try {
                    serverTransaction = provider.getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException e) {
                    throw new DuplicateRequest();
                }
                if (!is(Request.INVITE)) {
                    serverTransaction.setRetransmitTimer(NON_INVITE_T1_MS);
                }
            }
        }
        return serverTransaction;
    }

    /**
     * Answers with {@code status} (reason phrase from RFC 3261 when {@code reason} is null). A request from which
     * JAIN-SIP cannot build a response (it fails copying a header it parsed, e.g. a Via with rport=abc) is dropped.
     */
    public void respond(int status, String reason) {
        Response response = buildResponse(status, reason);
        if (response != null) {
            respond(response);
        }
    }

    /** As {@link #respond(int, String)}, without a server transaction ({@link #respondStatelessly(Response)}). */
    public void respondStatelessly(int status, String reason) {
        Response response = buildResponse(status, reason);
        if (response != null) {
            respondStatelessly(response);
        }
    }

    /** The response, or null (logged) when JAIN-SIP cannot build one from this request. */
    private Response buildResponse(int status, String reason) {
        try {
            return sip.response(request, status, reason);
        } catch (RuntimeException e) {
            log.debug("no {} possible to {} from {}, dropped: {}", status, method, sourceHost(), e.toString());
            return null;
        }
    }

    public void respond(int status) {
        respond(status, null);
    }

    /** Sends a response built by the caller, through this request's server transaction. */
    public void respond(Response response) {
        if (is(Request.ACK)) {
            return;
        }
        try {
            sip.send(serverTransaction(), response);
        } catch (DuplicateRequest e) {
            log.debug("retransmission of {} absorbed", method);
        } catch (Exception e) {
            log.debug("could not send {} to {} {}: {}", response.getStatusCode(), method, sourceHost(), e.toString());
        }
    }

    /**
     * Answers without a server transaction, as Kamailio's sl_send_reply does: for refusals sent before the request
     * has any state here (digest challenges, lockouts). Nothing is created, kept for Timer J or matched; a
     * retransmitted request is simply answered again, which RFC 3261 section 8.2.7 allows a stateless UAS. A
     * request that already has a transaction is answered through it. Outside a dialog the To tag comes from the
     * series of stateless refusals (so the ACK of a refused INVITE is dropped on arrival); inside one the request's
     * own tag stays (RFC 3261 8.2.6.2).
     */
    public void respondStatelessly(Response response) {
        if (serverTransaction != null || event.getServerTransaction() != null) {
            respond(response);
            return;
        }
        if (is(Request.ACK)) {
            return;
        }
        try {
            if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
                sip.sendStatelessRefusal(response);
            } else {
                sip.sendStateless(response);
            }
        } catch (Exception e) {
            log.debug("could not send {} to {} {}: {}", response.getStatusCode(), method, sourceHost(), e.toString());
        }
    }

    /** Thrown when the request is a retransmission that the stack already has a transaction for. */
    public static final class DuplicateRequest extends RuntimeException {
        DuplicateRequest() {
            super(null, null, false, false);
        }
    }
}
