package io.sipserver.proxy.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import javax.sip.ListeningPoint;

/**
 * The RI's default (blocking I/O) message processors, except that UDP listening points are
 * {@link InboundUdpMessageProcessor}s. The stack creates this factory by class name, so the receive queue's capacity
 * travels in the stack properties under {@link #QUEUE_CAPACITY}.
 */
public final class InboundMessageProcessorFactory extends OIOMessageProcessorFactory {

    static final String QUEUE_CAPACITY = "io.sipserver.UDP_QUEUE_CAPACITY";

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        if (!ListeningPoint.UDP.equalsIgnoreCase(transport)) {
            return super.createMessageProcessor(stack, address, port, transport);
        }
        SipStackImpl sipStack = (SipStackImpl) stack;
        return new InboundUdpMessageProcessor(address, stack, port, sipStack.getStackName(),
                Integer.parseInt(sipStack.getConfigurationProperties().getProperty(QUEUE_CAPACITY)));
    }
}
