package io.sipserver.admission.web;

import io.sipserver.admission.AdmissionConflictException;
import java.util.NoSuchElementException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the admission controllers' errors; ahead of the application's global handler. */
@RestControllerAdvice(assignableTypes = {LocationController.class, ReservationController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdmissionExceptionHandler {

    @ExceptionHandler(AdmissionConflictException.class)
    public ProblemDetail conflict(AdmissionConflictException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException e) {
        String cause = e.getMostSpecificCause().getMessage();
        String firstLine = cause == null ? "" : ": " + cause.lines().findFirst().orElse("");
        return problem(HttpStatus.BAD_REQUEST, "the request body is not the expected JSON" + firstLine);
    }

    @ExceptionHandler(NoSuchElementException.class)
    public ProblemDetail notFound(NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }
}
