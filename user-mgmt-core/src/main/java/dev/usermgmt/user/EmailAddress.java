package dev.usermgmt.user;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.ValueDomain;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
 * spreadsheets leave) is removed, the address is put in Unicode Normalization Form C (so a
 * decomposed {@code é} is the composed one) and the domain lower-cased; the local part keeps its
 * case for display.
 *
 * <p>Identity cannot be spoofed with invisible or look-alike characters:
 *
 * <ul>
 *   <li>Addresses with a default-ignorable or format character inside (soft hyphen, zero-width
 *       joiners, bidirectional marks, invisible separators, the combining grapheme joiner,
 *       variation selectors, Hangul fillers, tag characters — Unicode's
 *       Default_Ignorable_Code_Point and general category Cf) or a lone surrogate are refused.
 *   <li>A local part or a domain label that mixes scripts is refused, unless the mix is one UTS #39
 *       §5.2 calls highly restrictive (Latin with Han and Hiragana/Katakana, with Han and Bopomofo,
 *       or with Han and Hangul); digits and punctuation belong to every script.
 *   <li>The identity {@link #key()} is the address in NFKC_Casefold form (Unicode §3.13 and UAX
 *       #15): case-insensitive, as the reference directories match "case-insensitively", and blind
 *       to width and compatibility variants, so a full-width {@code ａｄｍｉｎ} is the same identity as
 *       {@code admin}. Uniqueness, lookups, matching in files and the e-mail filter all use this
 *       one key, in memory and in SQL.
 *   <li>The {@link #skeleton()} (UTS #39 §4) of the key is what look-alike addresses share (a
 *       Cyrillic {@code а} and a Latin {@code a}, a dotless {@code ı} and an {@code i}): the
 *       directory refuses, or flags, an address whose skeleton is another user's.
 * </ul>
 */
public final class EmailAddress implements Comparable<EmailAddress>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private static final Normalizer2 NFC = Normalizer2.getNFCInstance();
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();

  private final String value;
  private final String key;
  private final int at;
  private transient volatile @Nullable String skeleton;

  private EmailAddress(String value, int at, boolean ascii) {
    this.value = value;
    this.at = at;
    this.key = ascii ? value.toLowerCase(Locale.ROOT) : NFKC_CASEFOLD.normalize(value);
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
      String why = spoofing(Texts.trim(text)).map(r -> " (" + r + ")").orElse("");
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_EMAIL,
              "primaryEmail",
              "not a valid e-mail address: '" + visible(text) + "'" + why));
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

  private static @Nullable EmailAddress parseOrNull(String text) {
    String s = Texts.trim(text);
    boolean ascii = isAscii(s);
    if (!ascii) {
      if (spoofing(s).isPresent()) {
        return null;
      }
      s = NFC.normalize(s);
    }
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
    // an ASCII text's UTF-8 length is its length, already checked against 254
    if (ascii ? at > 64 : utf8Length(s, 0, at) > 64 || utf8Length(s, 0, n) > 254) {
      return null;
    }
    String normal =
        ascii && !hasUpperCase(s, at + 1, n)
            ? s
            : s.substring(0, at + 1) + s.substring(at + 1).toLowerCase(Locale.ROOT);
    if (!ascii && !(singleScript(normal, 0, at) && labelsSingleScript(normal, at + 1))) {
      return null;
    }
    EmailAddress e = new EmailAddress(normal, at, ascii);
    if (ValueDomain.characterProblem(normal).isPresent() || (!ascii && !fitsStores(e))) {
      return null; // outside the value model: a character no store keeps, or keys too long
    }
    return e;
  }

  /**
   * Whether the forms stores keep of an address fit their columns: compatibility forms may expand a
   * character into many (U+FDFA into 18), so a valid non-ASCII address may have a key (or an
   * accent-folded search form) longer than {@link ValueDomain#MAX_EMAIL_KEY} or a skeleton longer
   * than {@value #MAX_SKELETON} characters; it is refused up front rather than by a store.
   */
  private static boolean fitsStores(EmailAddress a) {
    return a.key.length() <= ValueDomain.MAX_EMAIL_KEY
        && Texts.fold(a.value).length() <= ValueDomain.MAX_EMAIL_KEY
        && a.skeleton().length() <= MAX_SKELETON;
  }

  /** The most characters of a skeleton. */
  static final int MAX_SKELETON = 700;

  /** Whether the ASCII text {@code s[from, to)} holds an upper-case letter. */
  private static boolean hasUpperCase(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Why an address (not all ASCII) cannot be an identity: an invisible or lone character. */
  private static Optional<String> spoofing(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) {
        return Optional.of("a lone surrogate at position " + (i + 1));
      }
      if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
          || Character.getType(cp) == Character.FORMAT) {
        return Optional.of(String.format(Locale.ROOT, "an invisible character U+%04X inside", cp));
      }
      i += Character.charCount(cp);
    }
    if (!isAscii(s)) {
      String n = NFC.normalize(s);
      int at = n.lastIndexOf('@');
      if (at > 0 && !(singleScript(n, 0, at) && labelsSingleScript(n, at + 1))) {
        return Optional.of("it mixes scripts, as look-alike addresses do");
      }
    }
    return Optional.empty();
  }

  private static boolean labelsSingleScript(String s, int from) {
    int start = from;
    for (int i = from; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        if (!singleScript(s, start, i)) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  /**
   * Whether a part of an address is in one script, or in a mix UTS #39 §5.2 calls highly
   * restrictive; Common and Inherited characters (digits, punctuation, marks) go with any script.
   */
  private static boolean singleScript(String s, int from, int to) {
    EnumSet<Character.UnicodeScript> scripts = EnumSet.noneOf(Character.UnicodeScript.class);
    for (int i = from; i < to; ) {
      int cp = s.codePointAt(i);
      Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
      if (sc != Character.UnicodeScript.COMMON && sc != Character.UnicodeScript.INHERITED) {
        scripts.add(sc);
      }
      i += Character.charCount(cp);
    }
    if (scripts.size() <= 1) {
      return true;
    }
    for (Set<Character.UnicodeScript> allowed : HIGHLY_RESTRICTIVE) {
      if (allowed.containsAll(scripts)) {
        return true;
      }
    }
    return false;
  }

  private static final List<Set<Character.UnicodeScript>> HIGHLY_RESTRICTIVE =
      List.of(
          EnumSet.of(
              Character.UnicodeScript.LATIN,
              Character.UnicodeScript.HAN,
              Character.UnicodeScript.HIRAGANA,
              Character.UnicodeScript.KATAKANA),
          EnumSet.of(
              Character.UnicodeScript.LATIN,
              Character.UnicodeScript.HAN,
              Character.UnicodeScript.BOPOMOFO),
          EnumSet.of(
              Character.UnicodeScript.LATIN,
              Character.UnicodeScript.HAN,
              Character.UnicodeScript.HANGUL));

  /** The text with invisible characters shown as {@code U+XXXX}, for messages. */
  private static String visible(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.getType(cp) == Character.FORMAT
                  || Character.isISOControl(cp)
                  || UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                  || (Character.isSurrogate((char) cp) && cp <= 0xFFFF)) {
                b.append(String.format(Locale.ROOT, "<U+%04X>", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
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
   * The identity key: the whole address in NFKC_Casefold form (lower-cased when ASCII). Two
   * addresses are the same user's when their keys are equal. Stores index this, and uniqueness,
   * lookups, file matching and the e-mail filter all compare it.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The identity-key form of any text: what {@link #key()} does to an address, applied to a part of
   * one (trimmed, then lower-cased when ASCII, NFKC_Casefold otherwise). The e-mail filter compares
   * its literals in this form with users' keys, so {@code primaryEmail co "ADMIN"} and a full-width
   * {@code ａｄｍｉｎ} find what uniqueness calls {@code admin}, and an accent-folded {@code jose} does
   * not find {@code josé}, which uniqueness keeps apart. For a valid address {@code keyOf(text)}
   * equals {@code parse(text).key()}.
   *
   * @param text any text
   * @return its key form
   */
  public static String keyOf(String text) {
    String s = Texts.trim(text);
    return isAscii(s) ? s.toLowerCase(Locale.ROOT) : NFKC_CASEFOLD.normalize(s);
  }

  /**
   * The UTS #39 §4 skeleton of the identity key: addresses that look alike (a Cyrillic {@code а}
   * for a Latin {@code a}, {@code rn} for {@code m}) share it. Different identities with one
   * skeleton are confusable.
   *
   * @return the skeleton
   */
  public String skeleton() {
    String s = skeleton;
    if (s == null) {
      s = SPOOF.getSkeleton(key);
      skeleton = s;
    }
    return s;
  }

  /**
   * The UTS #39 §4 skeleton of any text's {@link #keyOf key form}: for a valid address, {@code
   * skeletonOf(text)} equals {@code parse(text).skeleton()}. For stores that index skeletons of
   * keys they kept.
   *
   * @param text an address or its key
   * @return the skeleton
   */
  public static String skeletonOf(String text) {
    return SPOOF.getSkeleton(keyOf(text));
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
