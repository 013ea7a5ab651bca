package io.sipserver.proxy.testsupport;

/** SDP offers and answers of a test endpoint on 127.0.0.1: one audio m-line, CRLF line endings. */
public final class LoopbackSdp {

    private LoopbackSdp() {
    }

    /**
     * @param payloadTypes the m-line's format list, e.g. {@code "0 101"}
     * @param attributes media-level attributes without {@code a=}, e.g. {@code "rtpmap:0 PCMU/8000"}
     */
    public static String audio(int port, String payloadTypes, String... attributes) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n")
                .append("m=audio ").append(port).append(" RTP/AVP ").append(payloadTypes).append("\r\n");
        for (String attribute : attributes) {
            sdp.append("a=").append(attribute).append("\r\n");
        }
        return sdp.toString();
    }

    /** G.711 µ-law only. */
    public static String pcmu(int port) {
        return audio(port, "0", "rtpmap:0 PCMU/8000");
    }
}
