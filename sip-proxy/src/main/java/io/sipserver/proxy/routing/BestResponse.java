package io.sipserver.proxy.routing;

/** RFC 3261 16.7 step 6: which of the final responses collected from the branches goes back to the caller. */
public final class BestResponse {

    private BestResponse() {
    }

    /** True when {@code candidate} is a better final response to forward than {@code current} (null = none yet). */
    public static boolean isBetter(int candidate, Integer current) {
        if (current == null) {
            return true;
        }
        int candidateRank = rank(candidate);
        int currentRank = rank(current);
        return candidateRank < currentRank || (candidateRank == currentRank && candidate < current);
    }

    /** 6xx first, then the lowest class; 503 ranks last in the 5xx class, 408 and 480 below other 4xx. */
    private static int rank(int status) {
        if (status >= 600) {
            return 0;
        }
        int cls = status / 100;
        int rank = cls * 10;
        if (status == 408 || status == 480 || status == 503) {
            rank += 5;
        }
        return rank;
    }

    /** A 503 from downstream becomes 500 (RFC 3261 16.7 step 6): the caller must not think we are overloaded. */
    public static int forUpstream(int status) {
        return status == 503 ? 500 : status;
    }
}
