package io.sipserver.proxy.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The RI's default (blocking I/O) message processors, with a bounded {@link UdpReceiveQueue} put into each UDP
 * processor before it starts (it also lets the processor read datagrams over the size limit, to refuse them). The stack creates this factory by class name, so the capacity travels in the stack
 * properties under {@link #QUEUE_CAPACITY}.
 */
public final class InboundMessageProcessorFactory extends OIOMessageProcessorFactory {

    static final String QUEUE_CAPACITY = "io.sipserver.UDP_QUEUE_CAPACITY";

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        MessageProcessor processor = super.createMessageProcessor(stack, address, port, transport);
        if (processor instanceof UDPMessageProcessor udp) {
            String capacity = ((SipStackImpl) stack).getConfigurationProperties().getProperty(QUEUE_CAPACITY);
            UdpReceiveQueue.install(udp, Integer.parseInt(capacity), stack.getMaxMessageSize());
        }
        return processor;
    }
}
