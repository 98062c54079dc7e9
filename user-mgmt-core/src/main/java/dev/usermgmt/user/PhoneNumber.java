package dev.usermgmt.user;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;

/**
 * A telephone number, validated with libphonenumber and kept in E.164 form ({@code +442079460000}),
 * as the reference "international format with country flag" field stores it.
 *
 * <p>Numbers written without a country code are read in a default region that the host configures
 * (an ISO 3166 two-letter code such as {@code GB}); numbers that libphonenumber does not consider
 * valid for their region are rejected, not stored half-right.
 */
public final class PhoneNumber implements Comparable<PhoneNumber>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final java.util.Set<Integer> CALLING_CODES = UTIL.getSupportedCallingCodes();

  private final String e164;

  private PhoneNumber(String e164) {
    this.e164 = e164;
  }

  /**
   * Parses a number that carries its country code ({@code +44 20 7946 0000}).
   *
   * @param text the number as typed
   * @return the number
   * @throws InvalidInputException with {@link ErrorCode#INVALID_PHONE} when it is not valid
   */
  public static PhoneNumber parse(String text) {
    return parse(text, "ZZ");
  }

  /**
   * Parses a number, reading one without a country code in the given region.
   *
   * @param text the number as typed
   * @param defaultRegion ISO 3166 alpha-2 region, or {@code ZZ} for none
   * @return the number
   * @throws InvalidInputException with {@link ErrorCode#INVALID_PHONE} when it is not valid
   */
  public static PhoneNumber parse(String text, String defaultRegion) {
    return tryParse(text, defaultRegion)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    Problem.ofField(
                        ErrorCode.INVALID_PHONE,
                        "phoneNumber",
                        "not a valid phone number: '" + text + "'")));
  }

  /**
   * Parses a number, or says it is not one.
   *
   * @param text the number as typed
   * @param defaultRegion ISO 3166 alpha-2 region, or {@code ZZ} for none
   * @return the number, or empty
   */
  public static Optional<PhoneNumber> tryParse(String text, String defaultRegion) {
    String s = Texts.trim(text);
    if (s.isEmpty() || s.length() > 64) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber n = UTIL.parse(s, defaultRegion.toUpperCase(Locale.ROOT));
      if (!UTIL.isValidNumber(n)) {
        return Optional.empty();
      }
      return Optional.of(new PhoneNumber(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164)));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a number back from its E.164 form as {@link #e164()} wrote it: a stored user, a change
   * log's diff, a sealed plan. The form is checked (a {@code +}, a country calling code
   * libphonenumber knows, a national number of a length possible there, at most 15 digits in all)
   * but not validity under the metadata in use: a number is validated once, by {@link #parse}, as
   * it comes in, and one stored under earlier metadata stays readable when a later release of
   * libphonenumber no longer considers it valid. This is also several times faster than {@link
   * #parse}, which reading a million stored users notices.
   *
   * @param e164 the E.164 text
   * @return the number
   * @throws InvalidInputException with {@link ErrorCode#INVALID_PHONE} when the text is not in
   *     E.164 form
   */
  public static PhoneNumber ofE164(String e164) {
    int n = e164.length();
    boolean form = n >= 3 && n <= 16 && e164.charAt(0) == '+' && e164.charAt(1) != '0';
    for (int i = 1; form && i < n; i++) {
      char c = e164.charAt(i);
      form = c >= '0' && c <= '9';
    }
    if (form) {
      // the country calling code is the one prefix of one to three digits libphonenumber knows
      for (int digits = 1; digits <= 3 && digits < n - 1; digits++) {
        int code = Integer.parseInt(e164, 1, 1 + digits, 10);
        if (CALLING_CODES.contains(code)) {
          Phonenumber.PhoneNumber number =
              new Phonenumber.PhoneNumber()
                  .setCountryCode(code)
                  .setNationalNumber(Long.parseLong(e164, 1 + digits, n, 10));
          int zeros = 0;
          while (1 + digits + zeros < n - 1 && e164.charAt(1 + digits + zeros) == '0') {
            zeros++;
          }
          if (zeros > 0) {
            // Italy's national numbers keep their leading zero in E.164
            number.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
          }
          if (UTIL.isPossibleNumber(number)
              && UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).equals(e164)) {
            return new PhoneNumber(e164);
          }
          break;
        }
      }
    }
    throw new InvalidInputException(
        Problem.ofField(
            ErrorCode.INVALID_PHONE, "phoneNumber", "not a number in E.164 form: '" + e164 + "'"));
  }

  /**
   * The E.164 form: {@code +}, country code, national number, no spaces.
   *
   * @return the number
   */
  public String e164() {
    return e164;
  }

  /**
   * The number in the international format people read ({@code +44 20 7946 0000}).
   *
   * @return the formatted number
   */
  public String international() {
    try {
      return UTIL.format(UTIL.parse(e164, "ZZ"), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
    } catch (NumberParseException e) {
      return e164;
    }
  }

  /**
   * The ISO 3166 region the number belongs to, e.g. {@code GB}.
   *
   * @return the region code
   */
  public String region() {
    try {
      return UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
    } catch (NumberParseException e) {
      return "ZZ";
    }
  }

  @Override
  public int compareTo(PhoneNumber o) {
    return e164.compareTo(o.e164);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PhoneNumber p && p.e164.equals(e164);
  }

  @Override
  public int hashCode() {
    return e164.hashCode();
  }

  @Override
  public String toString() {
    return e164;
  }
}
