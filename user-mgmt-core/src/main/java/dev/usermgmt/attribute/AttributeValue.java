package dev.usermgmt.attribute;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.internal.ValueDomain;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a custom attribute on a user: one of text, number, date, boolean or user reference,
 * matching {@link AttributeType}. Numbers compare by value ({@code 1.0} equals {@code 1}); text is
 * kept as given.
 */
public final class AttributeValue implements Comparable<AttributeValue>, Serializable {
  private static final long serialVersionUID = 1L;

  private final AttributeType type;
  private final Object value;

  private AttributeValue(AttributeType type, Object value) {
    this.type = type;
    this.value = value;
  }

  /**
   * A text value.
   *
   * @param text the text
   * @return the value
   */
  public static AttributeValue text(String text) {
    return new AttributeValue(AttributeType.TEXT, text);
  }

  /**
   * A number value, kept without trailing zeros so equal numbers are equal values.
   *
   * @param number the number
   * @return the value
   */
  public static AttributeValue number(BigDecimal number) {
    // a number outside the domain is kept as given, for problem() to name: stripping the zeros of
    // one like 1E2147483647 would overflow its scale
    BigDecimal n =
        number.signum() == 0
            ? BigDecimal.ZERO
            : ValueDomain.numberProblem(number).isPresent() ? number : number.stripTrailingZeros();
    return new AttributeValue(AttributeType.NUMBER, n);
  }

  /**
   * A number value.
   *
   * @param number the number
   * @return the value
   */
  public static AttributeValue number(long number) {
    return number(BigDecimal.valueOf(number));
  }

  /**
   * A date value.
   *
   * @param date the date
   * @return the value
   */
  public static AttributeValue date(LocalDate date) {
    return new AttributeValue(AttributeType.DATE, date);
  }

  /**
   * A yes / no value.
   *
   * @param yes the flag
   * @return the value
   */
  public static AttributeValue bool(boolean yes) {
    return new AttributeValue(AttributeType.BOOLEAN, yes);
  }

  /**
   * A reference to another user.
   *
   * @param user the referenced user
   * @return the value
   */
  public static AttributeValue userRef(UserId user) {
    return new AttributeValue(AttributeType.USER_REF, user);
  }

  /**
   * The type of this value.
   *
   * @return the type
   */
  public AttributeType type() {
    return type;
  }

  /**
   * The text of a {@link AttributeType#TEXT} value.
   *
   * @return the text
   * @throws IllegalStateException for another type (a programming error)
   */
  public String asText() {
    return as(AttributeType.TEXT, String.class);
  }

  /**
   * The number of a {@link AttributeType#NUMBER} value.
   *
   * @return the number
   */
  public BigDecimal asNumber() {
    return as(AttributeType.NUMBER, BigDecimal.class);
  }

  /**
   * The date of a {@link AttributeType#DATE} value.
   *
   * @return the date
   */
  public LocalDate asDate() {
    return as(AttributeType.DATE, LocalDate.class);
  }

  /**
   * The flag of a {@link AttributeType#BOOLEAN} value.
   *
   * @return the flag
   */
  public boolean asBoolean() {
    return as(AttributeType.BOOLEAN, Boolean.class);
  }

  /**
   * The user of a {@link AttributeType#USER_REF} value.
   *
   * @return the referenced user
   */
  public UserId asUserRef() {
    return as(AttributeType.USER_REF, UserId.class);
  }

  private <T> T as(AttributeType expected, Class<T> cls) {
    if (type != expected) {
      throw new IllegalStateException("attribute value is " + type + ", not " + expected);
    }
    return cls.cast(value);
  }

  /**
   * The canonical text form: text as is, numbers in plain notation, dates ISO-8601, booleans {@code
   * true}/{@code false}, user references as the id. {@link #parseCanonical} reads it back.
   *
   * @return the canonical text
   */
  public String canonical() {
    if (type != AttributeType.NUMBER) {
      return value.toString();
    }
    BigDecimal n = (BigDecimal) value;
    // a number outside the domain (never stored) in its short scientific form: written out, one
    // like 1E100000000 would be a hundred million digits
    return ValueDomain.numberProblem(n).isPresent() ? n.toString() : n.toPlainString();
  }

  /**
   * Reads the {@link #canonical()} form back.
   *
   * @param type the type
   * @param text the canonical text
   * @return the value
   * @throws RuntimeException when the text is not canonical for the type
   */
  public static AttributeValue parseCanonical(AttributeType type, String text) {
    switch (type) {
      case TEXT:
        return text(text);
      case NUMBER:
        return number(new BigDecimal(text));
      case DATE:
        return date(LocalDate.parse(text));
      case BOOLEAN:
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("not a canonical boolean: " + text);
        }
        return bool(Boolean.parseBoolean(text));
      case USER_REF:
      default:
        return userRef(UserId.of(text));
    }
  }

  /**
   * Why this value is outside the value model ({@link ValueDomain}): custom text of at most {@link
   * ValueDomain#MAX_CUSTOM_TEXT} allowed characters, numbers of at most {@link
   * ValueDomain#MAX_INTEGER_DIGITS} integer and {@link ValueDomain#MAX_FRACTION_DIGITS} fraction
   * digits, dates in years 1 to 9999.
   *
   * @param field the field the problem names, e.g. {@code attributes.costCentre}
   * @return the problem, or empty when the value fits
   */
  public Optional<Problem> domainProblem(String field) {
    Optional<Problem> p =
        switch (type) {
          case TEXT -> ValueDomain.text(field, (String) value, ValueDomain.MAX_CUSTOM_TEXT);
          case NUMBER -> ValueDomain.number(field, (BigDecimal) value);
          case DATE -> ValueDomain.date(field, (LocalDate) value);
          case BOOLEAN, USER_REF -> Optional.empty();
        };
    // not a capturing lambda over map: every attribute of every user built comes here
    return p.isEmpty()
        ? p
        : Optional.of(Problem.ofField(ErrorCode.INVALID_ATTRIBUTE_VALUE, field, p.get().message()));
  }

  /**
   * Orders values of the same type naturally (text case-sensitively, numbers numerically, dates
   * chronologically, false before true, ids by text); values of different types by type.
   */
  @Override
  @SuppressWarnings("unchecked")
  public int compareTo(AttributeValue o) {
    if (type != o.type) {
      return type.compareTo(o.type);
    }
    return ((Comparable<Object>) value).compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeValue a && a.type == type && a.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, value);
  }

  @Override
  public String toString() {
    return canonical();
  }
}
