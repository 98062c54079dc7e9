package dev.usermgmt.query.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.UserQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a page position ({@link Keyset}) into an opaque, tamper-evident cursor bound to the query
 * it came from, and back. The cursor carries the last row's sort values and id, and an HMAC-SHA256
 * over them and the query's {@linkplain UserQuery#fingerprint() fingerprint}: a cursor that was
 * altered, or is used with another search, filter or sort, is refused with {@link
 * ErrorCode#INVALID_CURSOR}. Hosts running several instances give them the same key.
 */
public final class CursorCodec {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /**
   * The keyed MAC every cursor is signed with, initialised once and cloned per use: looking up the
   * provider and initialising a MAC cost more than signing a short cursor. Never updated itself, so
   * concurrent clones are safe.
   */
  private final Mac prototype;

  private CursorCodec(byte[] key) {
    try {
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(key.clone(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * A codec with a secret key.
   *
   * @param key at least 16 bytes of secret
   * @return the codec
   */
  public static CursorCodec withKey(byte[] key) {
    if (key.length < 16) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.INVALID_CONFIGURATION, "a cursor key has at least 16 bytes"));
    }
    return new CursorCodec(key);
  }

  /**
   * Encodes a position.
   *
   * @param query the query the page belongs to
   * @param keyset the last row's position
   * @return the cursor
   */
  public String encode(UserQuery query, Keyset keyset) {
    StringBuilder b = new StringBuilder();
    element(b, keyset.id().value());
    for (Optional<Object> v : keyset.values()) {
      element(b, v.map(CursorCodec::tagged).orElse("-"));
    }
    byte[] payload = b.toString().getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(payload) + "." + B64.encodeToString(mac(query, payload));
  }

  /**
   * Decodes a cursor of a query.
   *
   * @param query the query now asked
   * @param cursor the cursor
   * @return the position
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CURSOR} when the cursor was
   *     altered, malformed or made for another query
   */
  public Keyset decode(UserQuery query, String cursor) {
    int dot = cursor.indexOf('.');
    try {
      if (dot < 0) {
        throw new IllegalArgumentException("no signature");
      }
      byte[] payload = B64D.decode(cursor.substring(0, dot));
      byte[] sig = B64D.decode(cursor.substring(dot + 1));
      if (!MessageDigest.isEqual(sig, mac(query, payload))) {
        throw invalid("the cursor was altered or belongs to another query");
      }
      List<String> parts = elements(new String(payload, StandardCharsets.UTF_8));
      List<Optional<Object>> values = new ArrayList<>();
      for (String p : parts.subList(1, parts.size())) {
        values.add(untag(p));
      }
      if (values.size() != query.sort().size()) {
        throw invalid("the cursor does not fit the query's sort");
      }
      return new Keyset(values, UserId.of(parts.get(0)));
    } catch (IllegalArgumentException
        | IndexOutOfBoundsException
        | ArithmeticException
        | java.time.DateTimeException e) {
      throw invalid("malformed cursor");
    }
  }

  private byte[] mac(UserQuery query, byte[] payload) {
    try {
      Mac mac = (Mac) prototype.clone();
      mac.update(query.fingerprint().getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(payload);
      byte[] full = mac.doFinal();
      return java.util.Arrays.copyOf(full, 16);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
    }
  }

  private static InvalidInputException invalid(String message) {
    return new InvalidInputException(Problem.ofField(ErrorCode.INVALID_CURSOR, "cursor", message));
  }

  private static void element(StringBuilder b, String s) {
    b.append(s.length()).append(':').append(s);
  }

  private static List<String> elements(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int colon = s.indexOf(':', i);
      int len = Integer.parseInt(s.substring(i, colon));
      out.add(s.substring(colon + 1, colon + 1 + len));
      i = colon + 1 + len;
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty cursor");
    }
    return out;
  }

  private static String tagged(Object v) {
    if (v instanceof String s) {
      return "s" + s;
    }
    if (v instanceof Integer i) {
      return "i" + i;
    }
    if (v instanceof BigDecimal d) {
      return "n" + d.toPlainString();
    }
    if (v instanceof LocalDate d) {
      return "d" + d;
    }
    if (v instanceof Instant t) {
      // epoch seconds and nanos: parsing ISO-8601 text cost more than the rest of a cursor
      return "e" + t.getEpochSecond() + "." + t.getNano();
    }
    if (v instanceof Boolean b) {
      return "b" + b;
    }
    throw new IllegalArgumentException("not a sort value: " + v.getClass());
  }

  private static Instant epoch(String v) {
    int dot = v.indexOf('.');
    return Instant.ofEpochSecond(
        Long.parseLong(v.substring(0, dot)), Integer.parseInt(v.substring(dot + 1)));
  }

  private static Optional<Object> untag(String p) {
    if (p.equals("-")) {
      return Optional.empty();
    }
    String v = p.substring(1);
    return Optional.of(
        switch (p.charAt(0)) {
          case 's' -> v;
          case 'i' -> Integer.parseInt(v);
          case 'n' -> new BigDecimal(v);
          case 'd' -> LocalDate.parse(v);
          case 'e' -> epoch(v);
          case 't' -> Instant.parse(v); // cursors made before the epoch form

          case 'b' -> Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("bad tag");
        });
  }
}
