package dev.usermgmt.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.hibernate.validator.spi.properties.ConstrainableExecutable;
import org.hibernate.validator.spi.properties.GetterPropertySelectionStrategy;

/**
 * Jakarta Validation at the boundary, bootstrapped once with Hibernate Validator and {@link
 * ParameterMessageInterpolator} (so hosts need no Expression Language implementation), and with
 * record-style accessors ({@code email()}) treated as properties. Not API.
 */
public final class Validation {
  private static final Validator VALIDATOR;

  static {
    ValidatorFactory factory =
        jakarta.validation.Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .getterPropertySelectionStrategy(new AccessorStrategy())
            .buildValidatorFactory();
    VALIDATOR = factory.getValidator();
  }

  private Validation() {}

  /**
   * Every constraint violation of a value, as problems sorted by field.
   *
   * @param value a value with Jakarta constraints
   * @return the problems; empty when valid
   */
  public static List<Problem> problems(Object value) {
    Set<ConstraintViolation<Object>> violations = VALIDATOR.validate(value);
    List<Problem> out = new ArrayList<>();
    for (ConstraintViolation<Object> v : violations) {
      String field = fieldOf(v.getPropertyPath());
      boolean classLevel = field.isEmpty();
      ErrorCode code =
          v.getConstraintDescriptor().getAnnotation() instanceof EmailOrPhoneRequired
              ? ErrorCode.EMAIL_OR_PHONE_REQUIRED
              : ErrorCode.INVALID_VALUE;
      String f = classLevel ? "primaryEmail" : field;
      out.add(Problem.ofField(code, f, classLevel ? v.getMessage() : f + " " + v.getMessage()));
    }
    out.sort(Comparator.comparing(p -> p.field().orElse("") + p.message()));
    return out;
  }

  /**
   * Throws when a value has constraint violations, listing all of them.
   *
   * @param value a value with Jakarta constraints
   * @throws InvalidInputException with every violation
   */
  public static void check(Object value) {
    List<Problem> problems = problems(value);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }

  private static String fieldOf(Path path) {
    for (Path.Node n : path) {
      if (n.getName() != null && !n.getName().startsWith("<")) {
        return n.getName();
      }
    }
    return "";
  }

  /** Treats every public no-argument, non-void instance method as a property accessor. */
  private static final class AccessorStrategy implements GetterPropertySelectionStrategy {
    private static final Set<String> EXCLUDED =
        Set.of("hashCode", "toString", "getClass", "toBuilder", "hasContact");

    @Override
    public Optional<String> getProperty(ConstrainableExecutable executable) {
      if (executable.getParameterTypes().length != 0
          || executable.getReturnType() == void.class
          || EXCLUDED.contains(executable.getName())) {
        return Optional.empty();
      }
      return Optional.of(executable.getName());
    }

    @Override
    public List<String> getGetterMethodNameCandidates(String propertyName) {
      return List.of(propertyName);
    }
  }
}
