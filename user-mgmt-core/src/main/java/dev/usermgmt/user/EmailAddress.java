package dev.usermgmt.user;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An e-mail address as users type it and as directories match it.
 *
 * <p>Syntax: the RFC 5322 §3.4.1 {@code addr-spec} as used in practice — a dot-atom or
 * quoted-string local part, {@code @}, and a DNS host name of at least two labels (letters, digits,
 * inner hyphens; internationalised labels allowed per RFC 6531) whose last label is not all digits.
 * Domain literals ({@code [192.0.2.1]}), comments and display names ({@code "Alex" <a@b.c>}) are
 * rejected. Lengths follow RFC 5321 §4.5.3.1: local part ≤ 64 octets, whole address ≤ 254.
 *
 * <p>Normalisation: surrounding white space (including no-break and zero-width spaces that
 * spreadsheets leave) is removed and the domain lower-cased; the local part keeps its case for
 * display. Identity ({@link #equals}, {@link #key()}) is case-insensitive on the whole address,
 * because the reference directories match e-mail addresses "case-insensitively".
 */
public final class EmailAddress implements Comparable<EmailAddress>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private final String value;
  private final String key;
  private final int at;

  private EmailAddress(String value, int at) {
    this.value = value;
    this.at = at;
    this.key = value.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses and normalises an address.
   *
   * @param text the address as typed
   * @return the address
   * @throws InvalidInputException with {@link ErrorCode#INVALID_EMAIL} and field {@code
   *     primaryEmail} when the text is not an address
   */
  public static EmailAddress parse(String text) {
    EmailAddress a = parseOrNull(text);
    if (a == null) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_EMAIL,
              "primaryEmail",
              "not a valid e-mail address: '" + text + "'"));
    }
    return a;
  }

  /**
   * Parses an address, or says it is not one. For bulk input, where malformed addresses are counted
   * and skipped rather than fatal.
   *
   * @param text the address as typed
   * @return the address, or empty
   */
  public static Optional<EmailAddress> tryParse(String text) {
    return Optional.ofNullable(parseOrNull(text));
  }

  /**
   * Whether the text is a valid address.
   *
   * @param text any text
   * @return true when {@link #parse} would accept it
   */
  public static boolean isValid(String text) {
    return parseOrNull(text) != null;
  }

  private static @org.jspecify.annotations.Nullable EmailAddress parseOrNull(String text) {
    String s = Texts.trim(text);
    int n = s.length();
    if (n < 3 || n > 254) {
      return null;
    }
    int at = s.lastIndexOf('@');
    if (at <= 0 || at == n - 1) {
      return null;
    }
    if (!validLocal(s, at) || !validDomain(s, at + 1, n)) {
      return null;
    }
    if (utf8Length(s, 0, at) > 64 || utf8Length(s, 0, n) > 254) {
      return null;
    }
    String domain = s.substring(at + 1);
    String lowerDomain = domain.toLowerCase(Locale.ROOT);
    String normal = domain.equals(lowerDomain) ? s : s.substring(0, at + 1) + lowerDomain;
    return new EmailAddress(normal, at);
  }

  private static int utf8Length(String s, int from, int to) {
    int len = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) >= 0x80) {
        return s.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
      }
      len++;
    }
    return len;
  }

  private static boolean validLocal(String s, int end) {
    if (s.charAt(0) == '"') {
      return validQuoted(s, end);
    }
    boolean prevDot = true; // no leading dot
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (prevDot) {
          return false;
        }
        prevDot = true;
      } else if (isAtext(c)) {
        prevDot = false;
      } else {
        return false;
      }
    }
    return !prevDot; // no trailing dot
  }

  private static boolean validQuoted(String s, int end) {
    if (end < 2 || s.charAt(end - 1) != '"') {
      return false;
    }
    for (int i = 1; i < end - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        if (i >= end - 1 || s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
          return false;
        }
      } else if (c == '"' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || ATEXT_SPECIALS.indexOf(c) >= 0
        || (c >= 0x80 && !Texts.isSpace(c) && !Character.isISOControl(c));
  }

  private static boolean validDomain(String s, int from, int to) {
    int labels = 0;
    int labelStart = from;
    boolean lastAllDigits = false;
    for (int i = from; i <= to; i++) {
      if (i == to || s.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return false;
        }
        if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return false;
        }
        lastAllDigits = true;
        for (int j = labelStart; j < i; j++) {
          char c = s.charAt(j);
          boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
          boolean digit = c >= '0' && c <= '9';
          if (!(letter || digit || c == '-' || (c >= 0x80 && Character.isLetterOrDigit(c)))) {
            return false;
          }
          lastAllDigits &= digit;
        }
        labels++;
        labelStart = i + 1;
      }
    }
    return labels >= 2 && !lastAllDigits && (to - from) <= 253;
  }

  /**
   * The normalised address for display and storage: trimmed, domain lower-cased.
   *
   * @return the address
   */
  public String value() {
    return value;
  }

  /**
   * The identity key: the whole address lower-cased. Two addresses are the same user's when their
   * keys are equal. Stores index this.
   *
   * @return the lower-cased address
   */
  public String key() {
    return key;
  }

  /**
   * The part before the {@code @}, as typed.
   *
   * @return the local part
   */
  public String localPart() {
    return value.substring(0, at);
  }

  /**
   * The part after the {@code @}, lower-cased; used to recognise internal staff domains.
   *
   * @return the domain
   */
  public String domain() {
    return value.substring(at + 1);
  }

  @Override
  public int compareTo(EmailAddress o) {
    return key.compareTo(o.key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmailAddress e && e.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
