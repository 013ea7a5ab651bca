package io.sipserver.proxy.media;

/** The session-level connection address of an SDP body (its {@code c=} line), for NAT detection. */
final class SdpAddress {

    private SdpAddress() {
    }

    /** The address of the first c= line, or null. */
    static String of(String sdp) {
        if (sdp == null) {
            return null;
        }
        int i = sdp.startsWith("c=") ? 0 : sdp.indexOf("\nc=");
        if (i < 0) {
            return null;
        }
        int lineStart = i == 0 ? 0 : i + 1;
        int lineEnd = sdp.indexOf('\n', lineStart);
        String line = (lineEnd < 0 ? sdp.substring(lineStart) : sdp.substring(lineStart, lineEnd)).trim();
        String[] parts = line.substring(2).split(" ");
        return parts.length >= 3 ? parts[2].split("/")[0] : null;
    }
}
