package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.ByteWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The compact binary form of a row preview in a plan's spill file, written into and read from byte
 * arrays: a plan of 100,000 rows is millions of values, and {@code DataInputStream} over a buffered
 * stream took a synchronised call per byte (a third of an update plan's apply at 100,000 rows went
 * to reading its previews back that way).
 */
final class PreviewCodec {

  private PreviewCodec() {}

  // a constant is written as its ordinal: the file lives as long as its plan, in the JVM (and so
  // with the enums) that wrote it
  @SuppressWarnings("EnumOrdinal")
  static void write(Output out, RowPreview r) {
    out.writeLong(r.row());
    out.writeByte(r.kind().ordinal());
    out.text(r.key());
    out.writeBoolean(r.user().isPresent());
    if (r.user().isPresent()) {
      PlannedUser u = r.user().get();
      out.text(u.id().value());
      out.writeLong(u.version());
      out.optional(u.primaryEmail());
      out.optional(u.firstName());
      out.optional(u.lastName());
      out.text(u.displayName());
    }
    out.writeInt(r.diffs().size());
    for (FieldDiff d : r.diffs()) {
      out.text(d.field());
      out.optional(d.before());
      out.optional(d.after());
      out.writeByte(d.attributeType().map(t -> t.ordinal() + 1).orElse(0));
      out.writeBoolean(d.redacted());
      out.writeBoolean(d.sensitive());
      out.writeBoolean(d.hiddenFromManagers());
    }
    out.writeInt(r.problems().size());
    for (Problem p : r.problems()) {
      out.writeInt(p.code().ordinal());
      out.text(p.message());
      out.optional(p.field());
      out.writeBoolean(p.row().isPresent());
      out.writeLong(p.row().orElse(0));
      out.optional(p.column());
    }
  }

  private static final RowPreview.Kind[] KINDS = RowPreview.Kind.values();
  private static final AttributeType[] TYPES = AttributeType.values();
  private static final ErrorCode[] CODES = ErrorCode.values();

  static RowPreview read(Input in) throws IOException {
    long row = in.readLong();
    RowPreview.Kind kind = in.constant(KINDS, in.readByte());
    String key = in.text();
    Optional<PlannedUser> user = Optional.empty();
    if (in.readBoolean()) {
      user =
          Optional.of(
              new PlannedUser(
                  UserId.of(in.text()),
                  in.readLong(),
                  in.optional(),
                  in.optional(),
                  in.optional(),
                  in.text()));
    }
    int n = in.count();
    List<FieldDiff> diffs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      FieldDiff.Builder d = FieldDiff.builder();
      d.field(in.text()).before(in.optional()).after(in.optional());
      int type = in.readByte();
      if (type > 0) {
        d.attributeType(in.constant(TYPES, type - 1));
      }
      diffs.add(
          d.redacted(in.readBoolean())
              .sensitive(in.readBoolean())
              .hiddenFromManagers(in.readBoolean())
              .build());
    }
    n = in.count();
    List<Problem> problems = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Problem.Builder p =
          Problem.builder()
              .code(in.constant(CODES, in.readInt()))
              .message(in.text())
              .field(in.optional());
      boolean hasRow = in.readBoolean();
      long at = in.readLong();
      problems.add(
          p.row(hasRow ? OptionalLong.of(at) : OptionalLong.empty()).column(in.optional()).build());
    }
    return new RowPreview(row, kind, key, user, diffs, problems);
  }

  /**
   * Bytes being written, big-endian, into an array that grows; {@link #drainTo} empties it into a
   * stream. Text is its length in chars, then each char in one to three bytes (as modified UTF-8
   * writes it, with no length limit): ASCII stays one byte, and any Java string (a lone surrogate
   * too) reads back unchanged.
   */
  static final class Output extends ByteWriter {
    Output() {
      super(1 << 12);
    }

    void text(String s) {
      int len = s.length();
      writeInt(len);
      room(len * 3);
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c >= 0x01 && c < 0x80) {
          buf[n++] = (byte) c;
        } else if (c < 0x800) {
          buf[n++] = (byte) (0xc0 | (c >> 6));
          buf[n++] = (byte) (0x80 | (c & 0x3f));
        } else {
          buf[n++] = (byte) (0xe0 | (c >> 12));
          buf[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          buf[n++] = (byte) (0x80 | (c & 0x3f));
        }
      }
    }

    void optional(Optional<String> s) {
      writeBoolean(s.isPresent());
      if (s.isPresent()) {
        text(s.get());
      }
    }

    /** Writes the bytes held to a stream and empties the array. */
    void drainTo(OutputStream out) throws IOException {
      out.write(buf, 0, n);
      n = 0;
    }
  }

  /**
   * Bytes being read from {@code [from, to)} of an array; reading past the end, or a value no
   * {@link Output} writes, is an {@link IOException} (a spill file cut short or changed).
   */
  static final class Input {
    private final byte[] buf;
    private final int to;
    private int at;

    Input(byte[] buf, int from, int to) {
      this.buf = buf;
      this.at = from;
      this.to = to;
    }

    /** Whether every byte was read. */
    boolean atEnd() {
      return at == to;
    }

    private void need(int k) throws EOFException {
      if (k > to - at) {
        throw new EOFException("a preview ends past its block");
      }
    }

    int readByte() throws IOException {
      need(1);
      return buf[at++] & 0xff;
    }

    boolean readBoolean() throws IOException {
      return readByte() != 0;
    }

    int readInt() throws IOException {
      need(4);
      int v =
          (buf[at] & 0xff) << 24
              | (buf[at + 1] & 0xff) << 16
              | (buf[at + 2] & 0xff) << 8
              | (buf[at + 3] & 0xff);
      at += 4;
      return v;
    }

    long readLong() throws IOException {
      return (long) readInt() << 32 | (readInt() & 0xffffffffL);
    }

    /**
     * A count of items or chars: not negative, and no more than the bytes left (each item and char
     * takes one at least), so that a changed file never makes a huge array.
     */
    int count() throws IOException {
      int k = readInt();
      if (k < 0 || k > to - at) {
        throw new IOException(
            "a count of " + k + " in a preview with " + (to - at) + " bytes left");
      }
      return k;
    }

    <E> E constant(E[] values, int ordinal) throws IOException {
      if (ordinal < 0 || ordinal >= values.length) {
        throw new IOException("no constant " + ordinal + " among " + values.length);
      }
      return values[ordinal];
    }

    /**
     * Text as {@link Output#text} writes it: when its chars are one byte each (ASCII, the common
     * case) the string is made from the bytes in one step.
     */
    String text() throws IOException {
      int len = count();
      int ascii = 0;
      while (ascii < len && buf[at + ascii] > 0) {
        ascii++;
      }
      if (ascii == len) {
        String s = new String(buf, at, len, StandardCharsets.ISO_8859_1);
        at += len;
        return s;
      }
      char[] chars = new char[len];
      for (int i = 0; i < len; i++) {
        int a = readByte();
        if (a < 0x80) {
          chars[i] = (char) a;
        } else if (a < 0xe0) {
          chars[i] = (char) (((a & 0x1f) << 6) | (readByte() & 0x3f));
        } else {
          int b = readByte();
          chars[i] = (char) (((a & 0x0f) << 12) | ((b & 0x3f) << 6) | (readByte() & 0x3f));
        }
      }
      return new String(chars);
    }

    Optional<String> optional() throws IOException {
      return readBoolean() ? Optional.of(text()) : Optional.empty();
    }
  }
}
