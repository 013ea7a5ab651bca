package io.sipserver.proxy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cumulative figures of a SIPp {@code -trace_stat} file: its header line names the columns, and
 * its last line holds the totals at the end of the run (columns ending in {@code (C)} are cumulative).
 */
public record SippStats(Map<String, String> lastLine) {

    private static final String DELIMITER = ";";

    public SippStats {
        lastLine = Map.copyOf(lastLine);
    }

    /** Reads the header and the last line of a stat file. */
    public static SippStats read(Path statFile) {
        List<String> rows = rows(statFile);
        if (rows.size() < 2) {
            throw new IllegalArgumentException("SIPp stat file " + statFile + " has no data line under its header");
        }
        return parse(rows);
    }

    /** Like {@link #read}, but empty statistics when SIPp stopped before it wrote any figures. */
    public static SippStats readIfWritten(Path statFile) {
        if (!Files.exists(statFile)) {
            return new SippStats(Map.of());
        }
        List<String> rows = rows(statFile);
        return rows.size() < 2 ? new SippStats(Map.of()) : parse(rows);
    }

    private static List<String> rows(Path statFile) {
        try {
            return Files.readAllLines(statFile, StandardCharsets.ISO_8859_1).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SIPp stat file " + statFile, e);
        }
    }

    private static SippStats parse(List<String> rows) {
        String[] names = rows.get(0).split(DELIMITER, -1);
        String[] values = rows.get(rows.size() - 1).split(DELIMITER, -1);
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (!names[i].isEmpty()) {
                byName.put(names[i], values[i]);
            }
        }
        return new SippStats(byName);
    }

    /** Calls that ran through the whole scenario. */
    public long successfulCalls() {
        return count("SuccessfulCall(C)");
    }

    /** Calls aborted by a timeout, an unexpected message, a failed check, ... */
    public long failedCalls() {
        return count("FailedCall(C)");
    }

    /** Messages SIPp had to send again because no answer came in time (UDP). */
    public long retransmissions() {
        return count("Retransmissions(C)");
    }

    /** A counter column as a number; 0 for a run without statistics. */
    public long count(String column) {
        if (lastLine.isEmpty()) {
            return 0;
        }
        String value = lastLine.get(column);
        if (value == null) {
            throw new IllegalArgumentException("no column '" + column + "' in the SIPp stat file");
        }
        return Long.parseLong(value.trim());
    }
}
