package dev.usermgmt.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A measurement run in several fresh JVMs, one after the other, as JMH's forks are: each JVM warms
 * up and measures its own alternating pairs, and the line reported is about the JVMs, not about one
 * JVM's pairs. One JVM's pairs say nothing of what differs between JVMs (what the JIT compiled and
 * inlined, where the scheduler put the threads): the deep page line of the same code measured 1.20×
 * to 1.31× in six runs on one day, each the median of 201 pairs. The JVMs share the database as the
 * caller left it (its data, and its statistics unless the caller's {@code before} analyzes again),
 * so what differs between databases or days is not in their spread.
 *
 * <p>The combined line has one pair a JVM: its baseline time is that JVM's median baseline time,
 * and its time that times the JVM's median ratio (a derived time, not one measured), so the line's
 * ratios are the JVMs' median ratios (the statistic each JVM's own verdict is about); min / median
 * / max and, from {@link Result#INTERVAL_PAIRS} JVMs, the bootstrap interval are then over the
 * JVMs.
 */
final class Forks {
  /** The system property naming how many JVMs a forked measurement runs in (default 7). */
  static final String FORKS_PROPERTY = "bench.forks";

  /** As many JVMs as a bootstrap interval is worked out from ({@link Result#INTERVAL_PAIRS}). */
  private static final int DEFAULT_FORKS = Result.INTERVAL_PAIRS;

  private Forks() {}

  /** How many JVMs a forked measurement runs in: {@value #FORKS_PROPERTY}, at least one. */
  static int count() {
    return Math.max(1, Integer.getInteger(FORKS_PROPERTY, DEFAULT_FORKS));
  }

  /**
   * Runs a class's {@code main} in {@link #count} JVMs one after the other, each with this JVM's
   * heap and other options (not its agents or results file; the variables that add options, which
   * this JVM's options already hold, are not passed on) and its own results file, and returns each
   * JVM's results, in order. {@code before} runs before each JVM starts. A JVM that fails or
   * measures nothing stops the run; an interrupted run stops the JVM it waits for.
   *
   * @param main the class to run
   * @param args its arguments
   * @param before what to do before each JVM (analyze the database again, say)
   * @return the results of each JVM
   */
  static List<List<Result>> run(Class<?> main, List<String> args, Runnable before) {
    List<List<Result>> out = new ArrayList<>();
    int forks = count();
    for (int i = 1; i <= forks; i++) {
      before.run();
      System.out.printf(Locale.ROOT, "-- JVM %d of %d%n", i, forks);
      out.add(runOne(main, args, i + " of " + forks));
    }
    return out;
  }

  private static List<Result> runOne(Class<?> main, List<String> args, String which) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-D" + Result.RESULTS_PROPERTY + "=")
          && !a.startsWith("-agent")
          && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    Process process = null;
    try {
      Path results = Files.createTempFile("usermgmt-fork", ".tsv");
      try {
        cmd.add("-D" + Result.RESULTS_PROPERTY + "=" + results);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        process = pb.start();
        int rc = process.waitFor();
        if (rc != 0) {
          throw new IllegalStateException("JVM " + which + " exited with " + rc);
        }
        List<Result> measured = Result.readAll(results);
        if (measured.isEmpty()) {
          throw new IllegalStateException("JVM " + which + " measured nothing");
        }
        return measured;
      } finally {
        Files.deleteIfExists(results);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while JVM " + which + " ran", e);
    }
  }

  /**
   * The lines the JVMs measured, each combined over the JVMs (one pair a JVM), in the order the
   * first JVM measured them; every JVM must have measured the same lines.
   *
   * @param forks each JVM's results
   * @return the combined lines, not yet reported
   */
  static List<Result> combine(List<List<Result>> forks) {
    Map<String, List<Result>> byName = new LinkedHashMap<>();
    for (List<Result> fork : forks) {
      if (fork.size() != forks.get(0).size()) {
        throw new IllegalStateException("the JVMs measured different lines: " + forks);
      }
      for (Result r : fork) {
        byName.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(r);
      }
    }
    List<Result> out = new ArrayList<>();
    for (List<Result> line : byName.values()) {
      if (line.size() != forks.size()) {
        throw new IllegalStateException("not every JVM measured " + line.get(0).name());
      }
      double[] ours = new double[line.size()];
      double[] base = new double[line.size()];
      for (int i = 0; i < line.size(); i++) {
        Result r = line.get(i);
        base[i] = Result.median(r.base());
        ours[i] = base[i] * r.ratio();
      }
      Result first = line.get(0);
      out.add(
          new Result(
              first.suite(),
              String.format(
                  Locale.ROOT,
                  "%s; %d JVMs × %d pairs",
                  first.name(),
                  line.size(),
                  first.ours().length),
              ours,
              first.baseline(),
              base,
              first.unit(),
              first.target()));
    }
    return out;
  }
}
