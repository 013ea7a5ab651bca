package io.sipserver.admission;

/** Outcome of an admission check. */
public sealed interface AdmissionDecision {

    /** True when the call may go ahead. */
    boolean admitted();

    /**
     * The call fits.
     *
     * @param kbps the call's charge now, summed over the locations it is charged to
     */
    record Admitted(double kbps) implements AdmissionDecision {
        @Override
        public boolean admitted() {
            return true;
        }
    }

    /**
     * The call does not fit the budget of a location (the first one found short; nothing was charged).
     *
     * @param location the location whose budget is short
     * @param neededKbps what the call needed there
     * @param availableKbps what was available there to this call (its owners' reservations included)
     */
    record Refused(String location, double neededKbps, double availableKbps) implements AdmissionDecision {
        @Override
        public boolean admitted() {
            return false;
        }
    }
}
