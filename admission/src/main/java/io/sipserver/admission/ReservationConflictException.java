package io.sipserver.admission;

/** A reservation whose window does not fit its location's budget beside the reservations overlapping it. */
public final class ReservationConflictException extends AdmissionConflictException {
    public ReservationConflictException(String message) {
        super(message);
    }
}
