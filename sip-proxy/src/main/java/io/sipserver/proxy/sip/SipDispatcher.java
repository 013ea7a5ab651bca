package io.sipserver.proxy.sip;

import io.sipserver.proxy.pipeline.RequestContext;
import io.sipserver.proxy.pipeline.RequestPipeline;
import io.sipserver.proxy.routing.StatefulProxy;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's single listener: requests go down the request pipeline, responses and timeouts to the stateful
 * proxy. Nothing thrown here may reach the stack's threads. The routing code is attached once the stack (which it
 * needs) exists; requests arriving before that are dropped and retransmitted by their senders.
 */
public final class SipDispatcher implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipDispatcher.class);

    private volatile RequestPipeline pipeline;
    private volatile StatefulProxy proxy;
    private volatile SipProvider provider;
    private volatile SipMessages sip;

    public void attach(RequestPipeline pipeline, StatefulProxy proxy, SipProvider provider, SipMessages sip) {
        this.proxy = proxy;
        this.provider = provider;
        this.sip = sip;
        this.pipeline = pipeline;
    }

    @Override
    public void processRequest(RequestEvent event) {
        RequestPipeline p = pipeline;
        if (p == null) {
            return;
        }
        RequestContext ctx;
        try {
            ctx = new RequestContext(event, provider, sip);
        } catch (RuntimeException e) {
            log.debug("unusable request dropped: {}", e.toString());
            return;
        }
        p.handle(ctx);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        StatefulProxy p = proxy;
        if (p == null) {
            return;
        }
        try {
            p.onResponse(event);
        } catch (RuntimeException e) {
            log.warn("response {} not processed", event.getResponse().getStatusCode(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        StatefulProxy p = proxy;
        if (p == null) {
            return;
        }
        try {
            p.onTimeout(event);
        } catch (RuntimeException e) {
            log.warn("timeout not processed", e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("I/O error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // Proxy state hangs off the transactions' application data and goes with them.
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // No stack dialogs: AUTOMATIC_DIALOG_SUPPORT is off.
    }
}
