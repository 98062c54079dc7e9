package dev.usermgmt.benchmarks;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The one measuring harness of the benchmarks: a measurement and its baseline run in alternating
 * pairs (who goes first alternates, so neither side always finds the other's pages in a cache),
 * after unmeasured warm-up pairs doing the same work (as JMH's warm-up iterations do), and every
 * pair's two results are compared: a difference stops the run. The comparison catches a baseline
 * that produced something else, not one that did less of the work to produce it (fewer checks, no
 * change set); README lists what the raw baselines leave out.
 *
 * <p>Each side returns a fingerprint of what it produced (a count, a list of ids, a checksum); the
 * two must be equal in every pair.
 */
final class Pairs {
  private Pairs() {}

  /** Work that produces a fingerprint of its result. */
  @FunctionalInterface
  interface Work {
    Object run() throws Exception;
  }

  /**
   * A fingerprint worked out only when the pair's two results are compared, after both sides are
   * timed, and then kept: equal to another when their values are (a digest, a list of shown fields,
   * a file read back, any of which inside the timed work would add the same cost to both sides and
   * pull the ratio towards 1).
   */
  static final class Later {
    private final java.util.function.Supplier<?> work;
    private @org.jspecify.annotations.Nullable Object value;

    /**
     * @param work what the fingerprint is, worked out on first use
     */
    Later(java.util.function.Supplier<?> work) {
      this.work = work;
    }

    Object value() {
      Object v = value;
      if (v == null) {
        v = Objects.requireNonNull(work.get());
        value = v;
      }
      return v;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Later other && value().equals(other.value());
    }

    @Override
    public int hashCode() {
      return value().hashCode();
    }

    @Override
    public String toString() {
      return value().toString();
    }
  }

  /**
   * The least time repeatable work is warmed up for, whatever its count of warm-up pairs: code run
   * once a call (a page's query translation, its cursor) is compiled by C2 only after some
   * thousands of calls (HotSpot's {@code Tier4InvocationThreshold}, 5,000, or {@code
   * Tier4CompileThreshold}, 15,000, with its loops), so a count that warmed up the per-row code
   * left a fast call's own code in C1's profiling tier for the first measured pairs. JMH warms up
   * for five iterations of ten seconds by default; ten seconds here is well past those thresholds
   * for any work under a millisecond, and a few more pairs of slower work.
   */
  static final long WARMUP_NANOS = 10_000_000_000L;

  /**
   * Repeatable work (a read, a plan): {@code warmups} unmeasured pairs, or more until {@link
   * #WARMUP_NANOS} have passed, then {@code runs} measured ones.
   */
  static Result pairs(
      String suite,
      String name,
      Work ours,
      String baseline,
      Work raw,
      double target,
      int warmups,
      int runs) {
    return rounds(
        suite,
        name,
        round -> ours,
        baseline,
        round -> raw,
        () -> {},
        target,
        warmups,
        runs,
        WARMUP_NANOS);
  }

  /**
   * Work too short to time alone (a few microseconds, where reading the clocks and the timer's own
   * jitter are as large as the work), run {@code times} times in a row a sample, as JMH's
   * operations per invocation are: a side's time is its sample divided by {@code times}, and its
   * fingerprint is that of the last run.
   *
   * @param work the operation
   * @param times how many times a sample runs it
   */
  record Batch(Work work, int times) implements Work {
    @Override
    public Object run() throws Exception {
      for (int i = 1; i < times; i++) {
        work.run();
      }
      return work.run();
    }

    /** How many operations a sample of some work ran: {@link #times} for a batch, else 1. */
    static int of(Work w) {
      return w instanceof Batch b ? b.times() : 1;
    }
  }

  /**
   * Work that changes what the next round sees (an update, an apply): round {@code r} (negative for
   * the warm-up rounds) gets its own work from each side, so every round can write new values.
   * {@code settle} runs untimed before each side of every pair (the database vacuumed and its
   * buffers written out, say), so that the second side of a pair can start from what the first
   * found, not from what the first left behind. The warm-up lasts at least {@code warmupNanos}:
   * while that time has not passed after the last warm-up pair, two more run (each side first once)
   * with the same warm-up rounds' work, so work that changes state passes 0.
   */
  static Result rounds(
      String suite,
      String name,
      IntFunction<Work> ours,
      String baseline,
      IntFunction<Work> raw,
      Runnable settle,
      double target,
      int warmups,
      int runs,
      long warmupNanos) {
    Rounds rounds = new Rounds(suite, name, ours, baseline, raw, settle, target, runs);
    rounds.warmUp(warmups, warmupNanos);
    for (int i = 0; i < runs; i++) {
      rounds.pair(i);
    }
    return rounds.result();
  }

  /**
   * The pairs of {@link #rounds} one at a time, for measurements that take turns: the end-to-end
   * sizes run their measured pairs interleaved, so that a growth from one size to the next is
   * worked out from pairs run one after the other, not from sizes measured many minutes apart.
   */
  static final class Rounds {
    private final String suite;
    private final String name;
    private final IntFunction<Work> ours;
    private final String baseline;
    private final IntFunction<Work> raw;
    private final Runnable settle;
    private final double target;
    private final double[] a;
    private final double[] b;
    private final boolean[] ran;

    /**
     * A measurement of {@code runs} pairs, as {@link #rounds} takes it.
     *
     * @param runs how many measured pairs {@link #result} reports
     */
    Rounds(
        String suite,
        String name,
        IntFunction<Work> ours,
        String baseline,
        IntFunction<Work> raw,
        Runnable settle,
        double target,
        int runs) {
      this.suite = suite;
      this.name = name;
      this.ours = ours;
      this.baseline = baseline;
      this.raw = raw;
      this.settle = settle;
      this.target = target;
      this.a = new double[runs];
      this.b = new double[runs];
      this.ran = new boolean[runs];
    }

    /**
     * The unmeasured warm-up pairs: {@code warmups} of them, or more until {@code nanos} have
     * passed, two at a time (each side first once).
     */
    void warmUp(int warmups, long nanos) {
      long warmUntil = System.nanoTime() + nanos;
      for (int i = -warmups; i < 0; i++) {
        pair(i);
        if (i == -1 && System.nanoTime() - warmUntil < 0) {
          i = -3;
        }
      }
    }

    /**
     * Runs pair {@code i}: a warm-up pair (unrecorded) when negative, else measured pair {@code i};
     * the library goes first in the even pairs.
     */
    void pair(int i) {
      if (i >= a.length || (i >= 0 && ran[i])) {
        throw new IllegalArgumentException(name + ": pair " + i + " of " + a.length);
      }
      Work w = ours.apply(i);
      Work r = raw.apply(i);
      boolean oursFirst = Math.floorMod(i, 2) == 0;
      settle.run();
      Timed first = Timed.of(oursFirst ? w : r);
      settle.run();
      Timed second = Timed.of(oursFirst ? r : w);
      Timed t = oursFirst ? first : second;
      Timed u = oursFirst ? second : first;
      if (!Objects.equals(t.fingerprint(), u.fingerprint())) {
        throw new IllegalStateException(
            name
                + ": the library and the baseline produced different results ("
                + t.fingerprint()
                + " vs "
                + u.fingerprint()
                + ")");
      }
      if (i >= 0) {
        a[i] = t.ms() / Batch.of(w);
        b[i] = u.ms() / Batch.of(r);
        ran[i] = true;
      }
    }

    /** Whether every measured pair has run. */
    private boolean done() {
      for (boolean r : ran) {
        if (!r) {
          return false;
        }
      }
      return true;
    }

    /** The measured pairs, reported; every one must have run. */
    Result result() {
      if (!done()) {
        throw new IllegalStateException(name + ": not every measured pair ran");
      }
      return Result.ms(suite, name, a, baseline, b, target).report();
    }
  }

  /**
   * The wall time of some work, its process CPU time (NaN when not read), and its fingerprint; the
   * time of the checks it ran {@link #untimed} is left out of both.
   */
  record Timed(double ms, double cpuMs, Object fingerprint) {
    /**
     * The wall time and fingerprint of some work. Its CPU time is not read: a {@link CpuClock}
     * reading takes some 0.4 ms (a file a thread), longer than a page, and every pair would pay it
     * four times in time and cache for a number no line of pairs reports.
     */
    static Timed of(Work work) {
      return run(work, false);
    }

    /** The wall time, the process CPU time and the fingerprint of some work. */
    static Timed withCpu(Work work) {
      return run(work, true);
    }

    private static Timed run(Work work, boolean cpu) {
      Untimed excluded = UNTIMED.get();
      excluded.wallNanos = 0;
      excluded.cpuNanos = 0;
      excluded.readsCpu = cpu;
      CpuClock c0 = cpu ? CpuClock.now() : null;
      long s = System.nanoTime();
      Object f;
      try {
        f = work.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      long wall = System.nanoTime() - s - excluded.wallNanos;
      double cpuMs =
          c0 == null ? Double.NaN : (CpuClock.now().nanosSince(c0) - excluded.cpuNanos) / 1e6;
      return new Timed(wall / 1e6, cpuMs, f);
    }
  }

  /** What this thread's current work leaves out of its times: the checks it ran untimed. */
  private static final class Untimed {
    /** The checks' wall time. */
    long wallNanos;

    /** The checks' CPU time, read only when the work reads its own. */
    long cpuNanos;

    /** Whether the work reads its CPU time ({@link Timed#withCpu}). */
    boolean readsCpu;
  }

  private static final ThreadLocal<Untimed> UNTIMED = ThreadLocal.withInitial(Untimed::new);

  /**
   * Runs a check in the middle of timed work (the users' state read between two stages of an end to
   * end run, to compare with the other side's) and leaves its time out of the work's: a check that
   * ran only in the warm-up rounds, so as not to be timed, checked no measured round.
   *
   * @param check the check
   * @return what the check returned
   */
  static <T> T untimed(java.util.concurrent.Callable<T> check) {
    Untimed excluded = UNTIMED.get();
    CpuClock c0 = excluded.readsCpu ? CpuClock.now() : null;
    long s = System.nanoTime();
    try {
      return check.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      excluded.wallNanos += System.nanoTime() - s;
      if (c0 != null) {
        excluded.cpuNanos += CpuClock.now().nanosSince(c0);
      }
    }
  }
}
