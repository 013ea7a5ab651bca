package io.sipserver.admission;

/** A request that conflicts with the current state of locations or reservations (REST: 409 Conflict). */
public class AdmissionConflictException extends RuntimeException {
    public AdmissionConflictException(String message) {
        super(message);
    }
}
