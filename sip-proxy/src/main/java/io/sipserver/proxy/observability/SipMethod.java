package io.sipserver.proxy.observability;

/** The SIP methods counted one by one; anything else is {@link #OTHER}. */
public enum SipMethod {
    INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, INFO, UPDATE, PRACK, SUBSCRIBE, NOTIFY, MESSAGE, REFER, PUBLISH, OTHER;

    static final int COUNT = values().length;
    private static final SipMethod[] BY_ORDINAL = values();

    /** The method named {@code name} (case-sensitive, as RFC 3261 says); a switch on a string allocates nothing. */
    public static SipMethod of(String name) {
        if (name == null) {
            return OTHER;
        }
        return switch (name) {
            case "INVITE" -> INVITE;
            case "ACK" -> ACK;
            case "BYE" -> BYE;
            case "CANCEL" -> CANCEL;
            case "REGISTER" -> REGISTER;
            case "OPTIONS" -> OPTIONS;
            case "INFO" -> INFO;
            case "UPDATE" -> UPDATE;
            case "PRACK" -> PRACK;
            case "SUBSCRIBE" -> SUBSCRIBE;
            case "NOTIFY" -> NOTIFY;
            case "MESSAGE" -> MESSAGE;
            case "REFER" -> REFER;
            case "PUBLISH" -> PUBLISH;
            default -> OTHER;
        };
    }

    static SipMethod ofOrdinal(int ordinal) {
        return BY_ORDINAL[ordinal];
    }
}
