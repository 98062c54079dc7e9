package dev.usermgmt.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Bytes written big-endian (as {@code DataOutputStream} writes them) into an array that grows, or,
 * with a sink, is handed to the sink whenever it fills: unsynchronised and without a call per byte,
 * for encoders of many small values (a plan's seal, a plan's previews on disk). A subclass adds its
 * own text encoding, writing into {@link #buf} after {@link #room}. Not API.
 */
public class ByteWriter {
  /** Takes the bytes of a full buffer. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Takes bytes.
     *
     * @param bytes the buffer
     * @param length how many of its first bytes to take
     */
    void take(byte[] bytes, int length);
  }

  private final @Nullable Sink sink;

  /** The bytes; those before {@link #n} are written. */
  protected byte[] buf;

  /** How many bytes are held. */
  protected int n;

  /**
   * Into a growing array.
   *
   * @param capacity the first size of the array
   */
  public ByteWriter(int capacity) {
    this.sink = null;
    this.buf = new byte[capacity];
  }

  /**
   * Into a sink, through an array of a fixed size (grown only for one value larger than it).
   *
   * @param capacity the array's size
   * @param sink takes the bytes whenever the array fills, and at {@link #flush}
   */
  public ByteWriter(int capacity, Sink sink) {
    this.sink = sink;
    this.buf = new byte[capacity];
  }

  /**
   * Makes room for {@code k} more bytes at {@link #n}.
   *
   * @param k the bytes about to be written
   */
  protected final void room(int k) {
    if (n + k <= buf.length) {
      return;
    }
    if (sink != null) {
      flush();
      if (k <= buf.length) {
        return;
      }
    }
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + k));
  }

  /** Hands the bytes held to the sink, if there is one. */
  public final void flush() {
    if (sink != null && n > 0) {
      sink.take(buf, n);
      n = 0;
    }
  }

  /**
   * Writes a byte.
   *
   * @param b the byte, in its low eight bits
   */
  public final void writeByte(int b) {
    room(1);
    buf[n++] = (byte) b;
  }

  /**
   * Writes a boolean as one byte, 1 or 0.
   *
   * @param b the boolean
   */
  public final void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /**
   * Writes an int, big-endian.
   *
   * @param v the int
   */
  public final void writeInt(int v) {
    room(4);
    buf[n] = (byte) (v >>> 24);
    buf[n + 1] = (byte) (v >>> 16);
    buf[n + 2] = (byte) (v >>> 8);
    buf[n + 3] = (byte) v;
    n += 4;
  }

  /**
   * Writes a long, big-endian.
   *
   * @param v the long
   */
  public final void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  /**
   * Writes bytes.
   *
   * @param b the bytes
   */
  public final void write(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, n, b.length);
    n += b.length;
  }

  /**
   * How many bytes are held.
   *
   * @return the count
   */
  public final int size() {
    return n;
  }

  /**
   * A copy of the bytes held.
   *
   * @return the bytes
   */
  public final byte[] toByteArray() {
    return Arrays.copyOf(buf, n);
  }
}
