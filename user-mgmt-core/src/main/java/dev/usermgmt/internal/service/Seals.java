package dev.usermgmt.internal.service;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.ByteWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.RandomAccess;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the plans the engine makes, so that a plan that comes back to apply is known to be one the
 * engine made, unchanged: an HMAC-SHA256 (RFC 2104) under the directory's signing key over a
 * canonical encoding of every component of the plan record but its seal. The encoding is
 * length-prefixed and typed, so no two different plans encode alike, and orders sets and maps by
 * their encoded elements, so every instance sharing the key computes the same seal.
 */
public final class Seals {
  private static final String SEAL = "seal";
  private final SecretKeySpec key;

  Seals(byte[] secret) {
    this.key = new SecretKeySpec(derive(secret, "plan seal"), "HmacSHA256");
  }

  /** A key for one use, derived from the signing key (HMAC of the purpose). */
  static byte[] derive(byte[] secret, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  /**
   * The seal of a plan: every component but {@code seal}.
   *
   * @param plan a plan record with a {@code String seal()} component
   * @return the seal, URL-safe Base64
   */
  public String seal(Record plan) {
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
    // streamed into the MAC: a plan whose previews are on disk is read once, never held whole
    Encoder out = new Encoder(mac);
    write(out, plan);
    out.flush();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
  }

  /**
   * The bytes {@link DataOutputStream} would write for the same calls (big-endian), into a MAC
   * whenever the buffer fills, or into a growing array when there is no MAC.
   */
  private static final class Encoder extends ByteWriter {
    /** Into a MAC, through a fixed buffer. */
    Encoder(Mac mac) {
      super(1 << 16, (bytes, length) -> mac.update(bytes, 0, length));
    }

    /** Into a growing array ({@link #toByteArray}). */
    Encoder() {
      super(64);
    }

    /**
     * A string's UTF-8 bytes after their count, as {@code getBytes(UTF_8)} gives them: an ASCII
     * string (every id, key and address of a plan) is copied char by char into the buffer, without
     * the array {@code getBytes} makes for each of a plan's tens of thousands of strings.
     */
    void writeUtf8(String s) {
      int len = s.length();
      if (len <= buf.length - 4) {
        room(4 + len);
        int at = n + 4;
        int i = 0;
        while (i < len) {
          char c = s.charAt(i);
          if (c >= 0x80) {
            break;
          }
          buf[at + i] = (byte) c;
          i++;
        }
        if (i == len) {
          writeInt(len);
          n += len;
          return;
        }
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeInt(b.length);
      write(b);
    }
  }

  /**
   * Refuses a plan the engine did not make, or one changed since.
   *
   * @param plan the plan
   * @param seal the seal it carries
   * @throws InvalidInputException with {@link ErrorCode#INVALID_PLAN}
   */
  public void verify(Record plan, String seal) {
    byte[] expected = seal(plan).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, seal.getBytes(StandardCharsets.UTF_8))) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_PLAN,
              "plan",
              "this plan was not made by this engine, or was changed after it was made; plan"
                  + " again and apply the new plan"));
    }
  }

  // the kinds of value a plan holds, as KINDS tags each class
  private static final int STRING = 0;
  private static final int BOOLEAN = 1;
  private static final int INTEGER = 2;
  private static final int LONG = 3;
  private static final int ENUM = 4;
  private static final int INSTANT = 5;
  private static final int USER_ID = 6;
  private static final int TENANT_ID = 7;
  private static final int OPTIONAL = 8;
  private static final int OPTIONAL_LONG = 9;
  private static final int PROBLEM = 10;
  private static final int FIELD_DIFF = 11;
  private static final int LIST = 12;
  private static final int COLLECTION = 13;
  private static final int MAP = 14;
  private static final int RECORD = 15;
  private static final int UNKNOWN = 16;

  /**
   * The kind of each class, found once a class: a plan of thousands of rows is tens of thousands of
   * values, for each of which a chain of type tests cost more than its bytes did. The tag is an
   * {@code Integer} of the JDK's cache: a value that held this library's classes (a writer) would
   * be kept by the JDK's own classes ({@code String}, {@code ArrayList}) and keep this library's
   * class loader from ever being unloaded.
   */
  private static final ClassValue<Integer> KINDS =
      new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
          return kindOf(type);
        }
      };

  /** The class of each kind, indexed by the kinds above. */
  private static final List<Class<?>> KIND_CLASSES =
      List.of(
          String.class,
          Boolean.class,
          Integer.class,
          Long.class,
          Enum.class,
          Instant.class,
          UserId.class,
          TenantId.class,
          Optional.class,
          OptionalLong.class,
          Problem.class,
          FieldDiff.class,
          List.class,
          Collection.class,
          Map.class,
          Record.class);

  /** The first of the kinds a class is (the order decides, as it always has). */
  private static int kindOf(Class<?> type) {
    for (int k = 0; k < KIND_CLASSES.size(); k++) {
      if (KIND_CLASSES.get(k).isAssignableFrom(type)) {
        return k;
      }
    }
    return UNKNOWN;
  }

  private static void write(Encoder out, Object v) {
    switch (KINDS.get(v.getClass())) {
      case STRING -> {
        out.writeByte('S');
        out.writeUtf8((String) v);
      }
      case BOOLEAN -> {
        out.writeByte('Z');
        out.writeBoolean((Boolean) v);
      }
      case INTEGER -> {
        out.writeByte('I');
        out.writeInt((Integer) v);
      }
      case LONG -> {
        out.writeByte('J');
        out.writeLong((Long) v);
      }
      case ENUM -> {
        Enum<?> e = (Enum<?>) v;
        out.writeByte('E');
        out.write(NAMES.get(e.getDeclaringClass()));
        out.write(constantName(e));
      }
      case INSTANT -> {
        Instant t = (Instant) v;
        out.writeByte('T');
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
      }
      case USER_ID -> {
        out.writeByte('U');
        write(out, ((UserId) v).value());
      }
      case TENANT_ID -> {
        out.writeByte('N');
        write(out, ((TenantId) v).value());
      }
      case OPTIONAL -> {
        Optional<?> o = (Optional<?>) v;
        out.writeByte('O');
        out.writeBoolean(o.isPresent());
        if (o.isPresent()) {
          write(out, o.get());
        }
      }
      case OPTIONAL_LONG -> {
        OptionalLong o = (OptionalLong) v;
        out.writeByte('o');
        out.writeBoolean(o.isPresent());
        out.writeLong(o.orElse(0));
      }
      case PROBLEM -> {
        Problem p = (Problem) v;
        out.writeByte('P');
        write(out, p.code());
        write(out, p.message());
        write(out, p.field());
        write(out, p.row());
        write(out, p.column());
      }
      case FIELD_DIFF -> {
        FieldDiff d = (FieldDiff) v;
        out.writeByte('F');
        write(out, d.field());
        write(out, d.before());
        write(out, d.after());
        write(out, d.attributeType());
        write(out, d.redacted());
      }
      case LIST -> writeList(out, (List<?>) v);
      case COLLECTION ->
          sorted(out, 'C', ((Collection<?>) v).stream().map(Seals::encodeOne).toList());
      case MAP -> writeMap(out, (Map<?, ?>) v);
      case RECORD -> writeRecord(out, (Record) v);
      default ->
          throw new IllegalStateException(
              "a plan holds a value the seal cannot encode: " + v.getClass());
    }
  }

  private static void writeList(Encoder out, List<?> l) {
    int n = l.size();
    out.writeByte('L');
    out.writeInt(n);
    if (l instanceof RandomAccess) {
      // as many elements as the count says, or the list changed while it was sealed
      for (int i = 0; i < n; i++) {
        write(out, l.get(i));
      }
      if (l.size() != n) {
        throw new ConcurrentModificationException("a plan's list changed as it sealed");
      }
    } else {
      for (Object o : l) {
        write(out, o);
      }
    }
  }

  private static void writeMap(Encoder out, Map<?, ?> m) {
    List<byte[]> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      byte[] k = encodeOne(e.getKey());
      byte[] val = encodeOne(e.getValue());
      byte[] both = Arrays.copyOf(k, k.length + val.length);
      System.arraycopy(val, 0, both, k.length, val.length);
      entries.add(both);
    }
    sorted(out, 'M', entries);
  }

  /**
   * A record's class name, then every component but its seal, in declaration order. A {@code long}
   * component (a row number, a version: one or two a row of a plan) is written as its boxed value
   * would be, without boxing it.
   */
  private static void writeRecord(Encoder out, Record r) {
    out.writeByte('R');
    out.write(NAMES.get(r.getClass()));
    for (MethodHandle accessor : COMPONENTS.get(r.getClass())) {
      writeComponent(out, accessor, r);
    }
  }

  private static void writeComponent(Encoder out, MethodHandle accessor, Object r) {
    Object value;
    try {
      if (accessor.type().returnType() == long.class) {
        long v = (long) accessor.invokeExact(r);
        out.writeByte('J');
        out.writeLong(v);
        return;
      }
      value = (Object) accessor.invokeExact(r);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read a component of " + r.getClass(), e);
    }
    write(out, value);
  }

  /**
   * The accessors of a record class's components but its seal, looked up once a class, typed to be
   * invoked exactly: {@code (Object) long} for a {@code long} component, else {@code (Object)
   * Object}. Only JDK classes are kept, as for {@link #KINDS}.
   */
  private static final ClassValue<MethodHandle[]> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
          List<MethodHandle> out = new ArrayList<>();
          for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(SEAL) && c.getType() == String.class) {
              continue;
            }
            MethodHandle accessor;
            try {
              accessor = MethodHandles.publicLookup().unreflect(c.getAccessor());
            } catch (IllegalAccessException e) {
              throw new IllegalStateException("cannot read " + c.getName() + " of " + type, e);
            }
            Class<?> returned = c.getType() == long.class ? long.class : Object.class;
            out.add(accessor.asType(MethodType.methodType(returned, Object.class)));
          }
          return out.toArray(new MethodHandle[0]);
        }
      };

  private static void sorted(Encoder out, char tag, List<byte[]> items) {
    List<byte[]> order = new ArrayList<>(items);
    order.sort(Arrays::compare);
    out.writeByte(tag);
    out.writeInt(order.size());
    for (byte[] b : order) {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] encodeOne(Object v) {
    Encoder out = new Encoder();
    write(out, v);
    return out.toByteArray();
  }

  /**
   * A class's name as {@link DataOutputStream#writeUTF} writes it, encoded once a class: a plan
   * holds thousands of records of a few classes.
   */
  private static final ClassValue<byte[]> NAMES =
      new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
          return utf(type.getName());
        }
      };

  /** An enum's constant names as {@link DataOutputStream#writeUTF} writes them, by ordinal. */
  private static final ClassValue<byte[][]> CONSTANTS =
      new ClassValue<>() {
        @Override
        protected byte[][] computeValue(Class<?> type) {
          Object[] constants = type.getEnumConstants();
          byte[][] out = new byte[constants.length][];
          for (int i = 0; i < constants.length; i++) {
            out[i] = utf(((Enum<?>) constants[i]).name());
          }
          return out;
        }
      };

  // the names are indexed as getEnumConstants() lists them, which is ordinal order
  @SuppressWarnings("EnumOrdinal")
  private static byte[] constantName(Enum<?> e) {
    return CONSTANTS.get(e.getDeclaringClass())[e.ordinal()];
  }

  private static byte[] utf(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
