package dev.usermgmt.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One measured line of the report: a measurement beside its baseline, as the samples of alternating
 * pairs (milliseconds, or whatever {@code unit} says), with the ratio of each pair (ours ÷
 * baseline) and the target that ratio must not exceed.
 *
 * <p>A target of 0 marks a line shown for information (no verdict). A ratio target "at least N
 * times faster than the baseline" is written as the target {@code 1/N}.
 *
 * @param suite the benchmark class that measured it
 * @param name what was measured
 * @param ours the measurement's samples, in pair order
 * @param baseline what it was measured against
 * @param base the baseline's samples, in pair order (as many as {@code ours})
 * @param unit the samples' unit
 * @param target the highest acceptable median ratio, or 0
 */
record Result(
    String suite,
    String name,
    double[] ours,
    String baseline,
    double[] base,
    String unit,
    double target) {

  /**
   * The results file every suite appends to, when the system property {@code bench.results} names
   * one.
   */
  static final String RESULTS_PROPERTY = "bench.results";

  Result {
    if (ours.length == 0 || ours.length != base.length) {
      throw new IllegalArgumentException(name + ": " + ours.length + " vs " + base.length);
    }
    if (name.contains("\t") || baseline.contains("\t")) {
      throw new IllegalArgumentException("tab in a name: " + name);
    }
  }

  /** A result in milliseconds. */
  static Result ms(
      String suite, String name, double[] ours, String baseline, double[] base, double target) {
    return new Result(suite, name, ours, baseline, base, "ms", target);
  }

  /** The ratio of each pair, ours ÷ baseline. */
  double[] ratios() {
    double[] r = new double[ours.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = ours[i] / base[i];
    }
    return r;
  }

  /**
   * The median ratio of the pairs: the number the verdict is about, printed to three decimals (to
   * two, a ratio of 1.304 showed as "1.30×" beside a target of "≤ 1.30×" and a verdict of MISSED).
   */
  double ratio() {
    return median(ratios());
  }

  /**
   * The fewest pairs an interval is worked out from. Below seven, a resample's median is the least
   * (or the greatest) ratio more often than 2.5 % of the time (at five, P(Bin(5, 1/5) ≥ 3) ≈ 5.8
   * %), so the interval would be min / max again, whose coverage is not 95 % (at five, 1 − 2/32).
   */
  static final int INTERVAL_PAIRS = 7;

  private static final int RESAMPLES = 10_000;

  /**
   * The 95 % interval of the median ratio: the percentile bootstrap (Efron and Tibshirani, <i>An
   * Introduction to the Bootstrap</i>, 1993, ch. 13) over 10,000 resamples of the pairs, drawn with
   * a fixed seed so that the same samples always give the same report. It says how far the median a
   * verdict is about is uncertain among this run's pairs; a target inside it is a verdict within
   * the noise. It holds nothing of what differs between runs (the JIT's choices, the database's
   * state): two lines measured alike in one run have differed by more than their intervals. Empty
   * below {@link #INTERVAL_PAIRS} pairs.
   *
   * @return the lower and upper bound, or an empty array
   */
  double[] interval() {
    double[] r = ratios();
    if (r.length < INTERVAL_PAIRS) {
      return new double[0];
    }
    SplittableRandom random = new SplittableRandom(RESAMPLES);
    double[] medians = new double[RESAMPLES];
    double[] resample = new double[r.length];
    for (int i = 0; i < RESAMPLES; i++) {
      for (int j = 0; j < r.length; j++) {
        resample[j] = r[random.nextInt(r.length)];
      }
      medians[i] = median(resample);
    }
    Arrays.sort(medians);
    return new double[] {
      medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]
    };
  }

  /** The interval as the report prints it, or "-". */
  String intervalText() {
    double[] i = interval();
    return i.length == 0 ? "-" : String.format(Locale.ROOT, "%.3f× – %.3f×", i[0], i[1]);
  }

  /** "met", "MISSED", or "-" for an information line. */
  String verdict() {
    if (target <= 0) {
      return "-";
    }
    return ratio() <= target ? "met" : "MISSED";
  }

  /** The target as the report prints it. */
  String targetText() {
    if (target <= 0) {
      return "-";
    }
    if (target < 1) {
      return String.format(Locale.ROOT, "≥ %.0f× faster", 1 / target);
    }
    return String.format(Locale.ROOT, "≤ %.2f×", target);
  }

  /** The console line. */
  String line() {
    double[] r = ratios();
    return String.format(
        Locale.ROOT,
        "%-50s %11s   %-44s %11s  %6.3fx (%5.2f–%5.2f, n=%d) %14s  %s",
        name,
        num(median(ours)),
        baseline,
        num(median(base)),
        median(r),
        min(r),
        max(r),
        r.length,
        targetText(),
        verdict());
  }

  /** The console header. */
  static String header() {
    return String.format(
        Locale.ROOT,
        "%-50s %11s   %-44s %11s  %-27s %14s  %s",
        "measurement",
        "median",
        "baseline",
        "median",
        "ratio (min–max, pairs)",
        "target",
        "verdict");
  }

  /** The Markdown table row. */
  String markdown() {
    double[] r = ratios();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s %s | %s | %s %s | **%.3f×** | %.2f× / %.2f× / %.2f× (%d) | %s | %s | %s |",
        suite,
        name,
        num(median(ours)),
        unit,
        baseline,
        num(median(base)),
        unit,
        median(r),
        min(r),
        median(r),
        max(r),
        r.length,
        intervalText(),
        targetText(),
        verdict());
  }

  /** The Markdown table's header. */
  static String markdownHeader() {
    return "| suite | measurement | median | baseline | baseline median | ratio | ratio min / median / max (pairs) | median's 95 % interval | target | verdict |\n"
        + "|---|---|---:|---|---:|---:|---|---|---|---|";
  }

  /** Prints this result and appends it to the results file when one is named. */
  Result report() {
    System.out.println(line());
    String file = System.getProperty(RESULTS_PROPERTY, "");
    if (!file.isBlank()) {
      try {
        Files.writeString(
            Path.of(file),
            tsv() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** One line of the results file. */
  String tsv() {
    return String.join(
        "\t", suite, name, join(ours), baseline, join(base), unit, Double.toString(target));
  }

  /** Reads a line written by {@link #tsv()}. */
  static Result parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    return new Result(f[0], f[1], split(f[2]), f[3], split(f[4]), f[5], Double.parseDouble(f[6]));
  }

  /** Reads every result of a results file, in order. */
  static List<Result> readAll(Path file) throws IOException {
    List<Result> all = new ArrayList<>();
    if (Files.exists(file)) {
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          all.add(parse(l));
        }
      }
    }
    return all;
  }

  private static String join(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(v);
    }
    return b.toString();
  }

  private static double[] split(String s) {
    return Arrays.stream(s.split(",", -1)).mapToDouble(Double::parseDouble).toArray();
  }

  private static String num(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 1) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    // three significant digits: a page of the in-memory store takes a few microseconds
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /**
   * The median of some values: the middle one, or the mean of the two middle ones of an even count
   * (the upper one alone made the median of two pairs their maximum).
   */
  static double median(double[] values) {
    double[] t = values.clone();
    Arrays.sort(t);
    int m = t.length / 2;
    return t.length % 2 == 1 ? t[m] : (t[m - 1] + t[m]) / 2;
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result r
        && suite.equals(r.suite)
        && name.equals(r.name)
        && Arrays.equals(ours, r.ours)
        && baseline.equals(r.baseline)
        && Arrays.equals(base, r.base)
        && unit.equals(r.unit)
        && target == r.target;
  }

  @Override
  public int hashCode() {
    return (suite + name + baseline).hashCode() * 31 + Arrays.hashCode(ours);
  }

  @Override
  public String toString() {
    return line();
  }
}
