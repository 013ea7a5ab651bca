package io.sipserver.proxy.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every SIP message at TRACE under {@code sip.messages} (off by default: message logging is the costliest
 * thing a SIP stack can do under load).
 */
public class Slf4jServerLogger implements ServerLogger {

    private static final Logger log = LoggerFactory.getLogger("sip.messages");

    @Override
    public void closeLogFile() {
        // Nothing to close.
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        logMessage(message, from, to, null, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        if (log.isTraceEnabled()) {
            log.trace("{} {} -> {}{}\n{}", sender ? "sent" : "received", from, to,
                    status == null ? "" : " (" + status + ")", message.encode());
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, status, sender, System.currentTimeMillis());
    }

    @Override
    public void logException(Exception ex) {
        log.warn("SIP stack exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to read.
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // Not needed.
    }
}
