package io.sipserver.registrar.web;

import io.sipserver.registrar.DuplicateUserException;
import java.util.NoSuchElementException;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details for this module's controllers, so that their errors do not depend on how the
 * application maps exceptions elsewhere. Ordered first, but it applies to these controllers only.
 */
@RestControllerAdvice(assignableTypes = {UsersController.class, RegistrationsController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RegistrarProblemHandler {

    /** Jackson's location suffix, e.g. {@code at [Source: REDACTED; byte offset: #13]}: keep the position. */
    private static final Pattern POSITION = Pattern.compile("at \\[Source: [^;]*; ([^]]+)]");

    @ExceptionHandler
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(e));
    }

    @ExceptionHandler
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(DuplicateUserException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail overloaded(RejectedExecutionException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** The parser's own words (first line) and where it stopped; never the handler method's signature. */
    private static String reason(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause == e || cause.getMessage() == null) {
            return "Request body is missing or unreadable";
        }
        String message = cause.getMessage();
        String firstLine = message.lines().findFirst().orElse("").strip();
        Matcher position = POSITION.matcher(message);
        return "Malformed JSON: " + firstLine + (position.find() ? " (at " + position.group(1) + ")" : "");
    }
}
