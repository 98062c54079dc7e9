package dev.usermgmt.internal;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link EmailOrPhoneRequired}. Not API. */
public final class EmailOrPhoneRequiredValidator
    implements ConstraintValidator<EmailOrPhoneRequired, HasContact> {
  /** Instantiated by Hibernate Validator. */
  public EmailOrPhoneRequiredValidator() {}

  @Override
  public boolean isValid(HasContact value, ConstraintValidatorContext context) {
    return value.hasContact();
  }
}
