package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.function.Consumer;
import javax.sip.SipStack;
import javax.sip.message.Response;

/**
 * Takes responses that match no client transaction (2xx retransmissions after the INVITE transaction ended) out
 * of the stack before it looks for their transaction: for such a response JAIN-SIP 1.3.0-91 walks its whole
 * client transaction table comparing each entry, so at a few thousand live transactions every stray 2xx costs
 * milliseconds, and the retransmissions that load causes make the proxy collapse. A hash lookup decides here;
 * strays go straight to the proxy's stateless relay.
 */
public class StrayResponseValve implements SIPMessageValve {

    private volatile SIPTransactionStack stack;
    private volatile Consumer<Response> strays = response -> { };

    /** Where responses without a transaction go (the proxy relays 2xx to INVITE statelessly, drops the rest). */
    public void onStray(Consumer<Response> handler) {
        this.strays = handler;
    }

    @Override
    public void init(SipStack sipStack) {
        this.stack = (SIPTransactionStack) sipStack;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        SIPTransactionStack s = stack;
        if (s == null || s.findTransaction((SIPResponse) response, false) != null) {
            return true;
        }
        strays.accept(response);
        return false;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
        // Nothing held.
    }
}
