package io.sipserver.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The annotated string must be an IPv4/IPv6 range in CIDR notation (see {@link CidrRange}). */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Cidr.Validator.class)
public @interface Cidr {
    String message() default "must be an IP range in CIDR notation, e.g. 198.51.100.0/24";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Accepts null (use @NotNull for that) and any text {@link CidrRange#parse} accepts. */
    class Validator implements ConstraintValidator<Cidr, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CidrRange.isValid(value);
        }
    }
}
