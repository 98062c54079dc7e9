package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The previews of a big plan, on disk: a temporary file of their compact binary form with the file
 * position of every {@value #BLOCK}th preview, so that a page is one seek and a short read. The
 * list is immutable; the file is deleted when the list is no longer reachable. Iterating reads
 * block by block and holds one block in memory.
 */
final class PreviewStore extends AbstractList<RowPreview> {
  static final int BLOCK = 256;
  private static final Cleaner CLEANER = Cleaner.create();

  private final Path file;
  private final long[] blocks;
  private final int size;
  private final UpdatePlan.Summary summary;

  private PreviewStore(Path file, long[] blocks, int size, UpdatePlan.Summary summary) {
    this.file = file;
    this.blocks = blocks;
    this.size = size;
    this.summary = summary;
    CLEANER.register(this, () -> delete(file));
  }

  UpdatePlan.Summary summary() {
    return summary;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public RowPreview get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return page(index, 1).get(0);
  }

  /** The previews from an offset, at most {@code limit}. */
  List<RowPreview> page(long offset, int limit) {
    if (offset >= size || limit <= 0) {
      return List.of();
    }
    int from = (int) offset;
    int n = Math.min(limit, size - from);
    int block = from / BLOCK;
    List<RowPreview> out = new ArrayList<>(n);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(blocks[block]);
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
      for (int i = block * BLOCK; i < from; i++) {
        PreviewCodec.read(in);
      }
      for (int i = 0; i < n; i++) {
        out.add(PreviewCodec.read(in));
      }
    } catch (IOException e) {
      throw unreadable(e);
    }
    return List.copyOf(out);
  }

  @Override
  public Iterator<RowPreview> iterator() {
    return new Iterator<>() {
      private int next;
      private List<RowPreview> block = List.of();
      private int inBlock;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public RowPreview next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (inBlock == block.size()) {
          block = page(next, BLOCK);
          inBlock = 0;
        }
        next++;
        return block.get(inBlock++);
      }
    };
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file: the system cleans its temporary directory
    }
  }

  private static StoreException unreadable(IOException e) {
    return new StoreException(
        ErrorCode.STORE_FAILURE, "the plan's previews could not be read: " + e.getMessage(), e);
  }

  /**
   * Collects the previews of a plan: in memory up to a threshold, then in a temporary file; counts
   * the kinds as they come.
   */
  static final class Writer implements AutoCloseable {
    private final int inMemory;
    private final List<RowPreview> buffer = new ArrayList<>();
    private final Map<RowPreview.Kind, Long> counts = new EnumMap<>(RowPreview.Kind.class);
    private long problems;
    private int size;
    private @Nullable Spill spill;
    private long[] blocks = new long[16];

    /** The temporary file being written. */
    private record Spill(Path file, CountingStream bytes, DataOutputStream out) {}

    Writer(int inMemory) {
      this.inMemory = inMemory;
    }

    void add(RowPreview r) {
      counts.merge(r.kind(), 1L, Long::sum);
      problems += r.problems().size();
      try {
        Spill s = spill;
        if (s == null && buffer.size() < inMemory) {
          buffer.add(r);
          size++;
          return;
        }
        if (s == null) {
          s = spill();
        }
        append(s, r);
      } catch (IOException e) {
        close();
        throw unwritable(e);
      }
    }

    private Spill spill() throws IOException {
      Path file = Files.createTempFile("usermgmt-plan-", ".previews");
      CountingStream bytes = new CountingStream(Files.newOutputStream(file));
      Spill s =
          new Spill(file, bytes, new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16)));
      spill = s;
      List<RowPreview> held = new ArrayList<>(buffer);
      buffer.clear();
      size = 0;
      for (RowPreview r : held) {
        append(s, r);
      }
      return s;
    }

    private void append(Spill s, RowPreview r) throws IOException {
      if (size % BLOCK == 0) {
        s.out().flush();
        int b = size / BLOCK;
        if (b == blocks.length) {
          blocks = Arrays.copyOf(blocks, b * 2);
        }
        blocks[b] = s.bytes().count;
      }
      PreviewCodec.write(s.out(), r);
      size++;
    }

    /** How many previews were added. */
    int size() {
      return size;
    }

    UpdatePlan.Summary summary() {
      return UpdatePlan.Summary.of(size, counts, problems);
    }

    /** The previews, in the order added. */
    List<RowPreview> finish() {
      Spill s = spill;
      if (s == null) {
        return List.copyOf(buffer);
      }
      try {
        s.out().close();
      } catch (IOException e) {
        close();
        throw unwritable(e);
      }
      spill = null;
      return new PreviewStore(
          s.file(), Arrays.copyOf(blocks, (size + BLOCK - 1) / BLOCK), size, summary());
    }

    /** Removes the file of a plan that failed. */
    @Override
    public void close() {
      Spill s = spill;
      if (s != null) {
        spill = null;
        try {
          s.out().close();
        } catch (IOException e) {
          // the file goes anyway
        }
        delete(s.file());
      }
    }

    private static StoreException unwritable(IOException e) {
      return new StoreException(
          ErrorCode.STORE_FAILURE,
          "the plan's previews could not be written to a temporary file: " + e.getMessage(),
          e);
    }
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
