package io.sipserver.proxy.sip;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/** Gives the stack {@link SipMessageParser} (stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}). */
public final class SipMessageParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return SipMessageParser.INSTANCE;
    }
}
