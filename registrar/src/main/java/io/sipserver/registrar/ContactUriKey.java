package io.sipserver.registrar;

import java.util.Arrays;
import java.util.Locale;

/**
 * Comparison key of a Contact URI, a pragmatic reading of RFC 3261 section 19.1.4: scheme, host and URI
 * parameters compare case-insensitively and parameter order does not matter; the user part (case-sensitive),
 * the port (an absent port differs from 5060) and the header part are compared as written. Unlike the RFC, a
 * parameter present in only one of two URIs always makes them different, and escaped characters are not decoded.
 */
final class ContactUriKey {

    private ContactUriKey() {
    }

    static String of(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return uri;
        }
        int questionMark = uri.indexOf('?', colon);
        String headers = questionMark < 0 ? "" : uri.substring(questionMark);
        String beforeHeaders = questionMark < 0 ? uri : uri.substring(0, questionMark);
        // The user part may itself contain ';' (e.g. phone-context), so parameters start after the '@'.
        int hostStart = Math.max(beforeHeaders.lastIndexOf('@'), colon) + 1;
        int semicolon = beforeHeaders.indexOf(';', hostStart);
        String hostPort = semicolon < 0 ? beforeHeaders.substring(hostStart) : beforeHeaders.substring(hostStart, semicolon);

        StringBuilder key = new StringBuilder(uri.length())
                .append(uri.substring(0, colon + 1).toLowerCase(Locale.ROOT))
                .append(beforeHeaders, colon + 1, hostStart)
                .append(hostPort.toLowerCase(Locale.ROOT));
        if (semicolon >= 0) {
            String[] params = beforeHeaders.substring(semicolon + 1).toLowerCase(Locale.ROOT).split(";");
            Arrays.sort(params);
            for (String param : params) {
                if (!param.isEmpty()) {
                    key.append(';').append(param);
                }
            }
        }
        return key.append(headers).toString();
    }
}
