package dev.usermgmt.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks whose names match the arguments (regular expressions; all when none) and
 * prints each benchmark beside its raw baseline ({@code name_raw…}) and the ratio benchmark ÷
 * baseline (below 1 is faster than the baseline).
 *
 * <p>System properties: {@code bench.forks} (default 1), {@code bench.warmups} (3), {@code
 * bench.iterations} (5), {@code bench.seconds} per iteration (2), {@code bench.jvmArgs} (extra JVM
 * arguments for the forks, e.g. {@code -Xmx256m}).
 */
public final class Ratios {
  private Ratios() {}

  /**
   * Entry point.
   *
   * @param args benchmark name patterns
   * @throws RunnerException when JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    ChainedOptionsBuilder opts =
        new OptionsBuilder()
            .forks(Integer.getInteger("bench.forks", 1))
            .warmupIterations(Integer.getInteger("bench.warmups", 3))
            .measurementIterations(Integer.getInteger("bench.iterations", 5))
            .warmupTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 2)))
            .measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 2)))
            .shouldFailOnError(true);
    String jvmArgs = System.getProperty("bench.jvmArgs", "");
    if (!jvmArgs.isBlank()) {
      opts.jvmArgsAppend(jvmArgs.trim().split("\\s+"));
    }
    if (args.length == 0) {
      opts.include("dev\\.usermgmt\\.benchmarks\\..*");
    }
    for (String a : args) {
      opts.include(a);
    }
    Collection<RunResult> results = new Runner(opts.build()).run();
    System.out.println();
    System.out.print(table(results));
  }

  static String table(Collection<RunResult> results) {
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String full = r.getParams().getBenchmark();
      String params = r.getParams().getParamsKeys().isEmpty() ? "" : paramsOf(r);
      byName.put(full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1) + params, r);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-44s %14s   %-44s %14s %8s%n",
            "benchmark",
            "score",
            "baseline",
            "score",
            "ratio"));
    for (Map.Entry<String, RunResult> e : byName.entrySet()) {
      String name = e.getKey();
      if (baseName(name).contains("_raw")) {
        continue;
      }
      RunResult r = e.getValue();
      double score = r.getPrimaryResult().getScore();
      String unit = r.getPrimaryResult().getScoreUnit();
      boolean any = false;
      for (Map.Entry<String, RunResult> o : byName.entrySet()) {
        String other = o.getKey();
        if (isBaselineOf(other, name)) {
          RunResult b = o.getValue();
          double base = b.getPrimaryResult().getScore();
          out.append(
              String.format(
                  Locale.ROOT,
                  "%-44s %14s   %-44s %14s %7.2fx%n",
                  name,
                  fmt(score, unit),
                  other,
                  fmt(base, unit),
                  score / base));
          any = true;
        }
      }
      if (!any) {
        out.append(String.format(Locale.ROOT, "%-44s %14s%n", name, fmt(score, unit)));
      }
    }
    return out.toString();
  }

  private static String paramsOf(RunResult r) {
    StringBuilder b = new StringBuilder("[");
    for (String k : r.getParams().getParamsKeys()) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(k).append('=').append(r.getParams().getParam(k));
    }
    return b.append(']').toString();
  }

  private static String baseName(String name) {
    int bracket = name.indexOf('[');
    return bracket < 0 ? name : name.substring(0, bracket);
  }

  private static String paramPart(String name) {
    int bracket = name.indexOf('[');
    return bracket < 0 ? "" : name.substring(bracket);
  }

  static boolean isBaselineOf(String candidate, String name) {
    return baseName(candidate).startsWith(baseName(name) + "_raw")
        && paramPart(candidate).equals(paramPart(name));
  }

  private static String fmt(double score, String unit) {
    return String.format(Locale.ROOT, "%.3f %s", score, unit);
  }
}
