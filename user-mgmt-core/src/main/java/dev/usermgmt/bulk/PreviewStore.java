package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
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
  private final long end;
  private final int size;
  private final UpdatePlan.Summary summary;

  private PreviewStore(Path file, long[] blocks, long end, int size, UpdatePlan.Summary summary) {
    this.file = file;
    this.blocks = blocks;
    this.end = end;
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

  /**
   * The previews from an offset, at most {@code limit}: each block they fall in is read whole into
   * one array (one read of the file) and decoded from it.
   */
  List<RowPreview> page(long offset, int limit) {
    if (offset >= size || limit <= 0) {
      return List.of();
    }
    int from = (int) offset;
    int n = Math.min(limit, size - from);
    List<RowPreview> out = new ArrayList<>(n);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] bytes = new byte[0];
      for (int block = from / BLOCK; out.size() < n; block++) {
        long start = blocks[block];
        int length = (int) ((block + 1 < blocks.length ? blocks[block + 1] : end) - start);
        if (bytes.length < length) {
          bytes = new byte[length];
        }
        ByteBuffer into = ByteBuffer.wrap(bytes, 0, length);
        while (into.hasRemaining()) {
          if (ch.read(into, start + into.position()) < 0) {
            throw new EOFException("the previews' file ends inside block " + block);
          }
        }
        PreviewCodec.Input in = new PreviewCodec.Input(bytes, 0, length);
        int last = Math.min(size, (block + 1) * BLOCK);
        for (int i = block * BLOCK; i < last && out.size() < n; i++) {
          RowPreview r = PreviewCodec.read(in);
          if (i >= from) {
            out.add(r);
          }
        }
        if (out.size() < n && !in.atEnd()) {
          throw new IOException("block " + block + " holds more than its previews");
        }
      }
    } catch (IOException e) {
      throw unreadable(e);
    } catch (RuntimeException e) {
      // a value the file holds that its type refuses (an id, a code): the file was changed, which
      // is the store's failure, not a caller's bad input
      throw unreadable(new IOException("a preview's value does not read back: " + e, e));
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

    /**
     * The temporary file being written: the bytes drained into it so far, and those held until the
     * next drain.
     */
    private static final class Spill {
      final Path file;
      final OutputStream out;
      final PreviewCodec.Output held = new PreviewCodec.Output();
      long drained;

      Spill(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
      }

      long position() {
        return drained + held.size();
      }

      void drain() throws IOException {
        drained += held.size();
        held.drainTo(out);
      }
    }

    /** The bytes a spill holds before they go to its file. */
    private static final int DRAIN = 1 << 16;

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
      Spill s = new Spill(file, Files.newOutputStream(file));
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
        int b = size / BLOCK;
        if (b == blocks.length) {
          blocks = Arrays.copyOf(blocks, b * 2);
        }
        blocks[b] = s.position();
      }
      PreviewCodec.write(s.held, r);
      if (s.held.size() >= DRAIN) {
        s.drain();
      }
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
        s.drain();
        s.out.close();
      } catch (IOException e) {
        close();
        throw unwritable(e);
      }
      spill = null;
      return new PreviewStore(
          s.file, Arrays.copyOf(blocks, (size + BLOCK - 1) / BLOCK), s.drained, size, summary());
    }

    /** Removes the file of a plan that failed. */
    @Override
    public void close() {
      Spill s = spill;
      if (s != null) {
        spill = null;
        try {
          s.out.close();
        } catch (IOException e) {
          // the file goes anyway
        }
        delete(s.file);
      }
    }

    private static StoreException unwritable(IOException e) {
      return new StoreException(
          ErrorCode.STORE_FAILURE,
          "the plan's previews could not be written to a temporary file: " + e.getMessage(),
          e);
    }
  }
}
