package gov.nist.javax.sip.stack;

/**
 * The package-private parts of JAIN-SIP 1.3.0-91 that a UDP listening point of our own
 * ({@code io.sipserver.proxy.sip.InboundUdpMessageProcessor}) needs to be set up as the RI's own is. The class sits
 * in the RI's package for that access alone; the RI jar is not sealed, and the application loads both with one
 * class loader.
 */
public final class UdpStackAccess {

    private UdpStackAccess() {
    }

    /** As the RI's factory does: UDP sends then leave from the listening point's socket, not a new one each. */
    public static void sendFromListeningPoints(SIPTransactionStack stack) {
        stack.udpFlag = true;
    }

    /** Worker threads the stack was configured with (THREAD_POOL_SIZE), -1 for a thread per datagram. */
    public static int workerThreads(SIPTransactionStack stack) {
        return stack.threadPoolSize;
    }

    /** One of the RI's worker channels, started: it takes datagrams from the processor's queue and parses them. */
    public static UDPMessageChannel startWorker(SIPTransactionStack stack, UDPMessageProcessor processor,
            String threadName) {
        return new UDPMessageChannel(stack, processor, threadName);
    }
}
