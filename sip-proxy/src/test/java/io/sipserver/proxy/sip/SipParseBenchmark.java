package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-thread parse throughput, JAIN-SIP's StringMsgParser (with the stack's Via fix) against SipMessageParser,
 * on the messages of SIPp calls and registrations (SipMessageCorpus). After a warm-up (half as many rounds), short
 * rounds alternate between the two, so that load from other processes falls on both alike; each round is timed in
 * the thread's CPU time (and wall time), and the medians are printed. Run by bench/parse.sh; args: messages in all per parser
 * (default 1,000,000), rounds (default 20), and "ours" to run SipMessageParser alone (for a profile).
 */
public final class SipParseBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SipParseBenchmark() {
    }

    public static void main(String[] args) throws ParseException {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean oursAlone = args.length > 2 && args[2].equals("ours");
        CommentFreeViaParser.install();
        List<byte[]> messages = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            for (String m : SipMessageCorpus.sippCall(n)) {
                messages.add(m.getBytes(StandardCharsets.UTF_8));
            }
            for (String m : SipMessageCorpus.sippRegistration(n)) {
                messages.add(m.getBytes(StandardCharsets.UTF_8));
            }
        }
        MessageParser ri = new StringMsgParser();
        MessageParser ours = SipMessageParser.INSTANCE;
        int perRound = total / rounds;
        for (int warmUp = 0; warmUp < rounds / 2; warmUp++) {
            if (!oursAlone) {
                parse(ri, messages, perRound);
            }
            parse(ours, messages, perRound);
        }
        double[][] riRates = new double[2][rounds];
        double[][] ourRates = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            if (!oursAlone) {
                time(ri, messages, perRound, riRates, round);
            }
            time(ours, messages, perRound, ourRates, round);
        }
        System.out.printf("%d rounds of %,d messages each, medians in messages per second of CPU time (of wall "
                + "time)%n", rounds, perRound);
        if (!oursAlone) {
            System.out.printf("RI StringMsgParser: %,.0f (%,.0f)%n", median(riRates[0]), median(riRates[1]));
        }
        System.out.printf("SipMessageParser:   %,.0f (%,.0f)%n", median(ourRates[0]), median(ourRates[1]));
    }

    /** Parses {@code count} messages and notes the rates in CPU time and in wall time of round {@code round}. */
    private static void time(MessageParser parser, List<byte[]> messages, int count, double[][] rates, int round)
            throws ParseException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        parse(parser, messages, count);
        rates[1][round] = count / ((System.nanoTime() - wall) / 1e9);
        rates[0][round] = count / ((THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
    }

    /** Parses and checks each message, so that no parse can be optimised away. */
    private static void parse(MessageParser parser, List<byte[]> messages, int count) throws ParseException {
        for (int i = 0; i < count; i++) {
            SIPMessage message = parser.parseSIPMessage(messages.get(i % messages.size()), true, false, null);
            if (message.getCallId() == null) {
                throw new IllegalStateException("a corpus message without Call-ID");
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
