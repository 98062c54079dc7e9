package dev.usermgmt.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The CPU time of this process's threads in nanoseconds, read per thread from Linux's {@code
 * /proc/self/task/<tid>/schedstat} (its first field: time on the CPU, in nanoseconds; the kernel's
 * Documentation/scheduler/sched-stats.rst). {@code OperatingSystemMXBean.getProcessCpuTime} adds up
 * {@code times(2)}, whose clock ticks are 10 ms on Linux ({@code USER_HZ} = 100): a side of 30 ms
 * of CPU was read as 20, 30 or 40. A reading is a snapshot of every thread's time; the time between
 * two snapshots adds up each thread of the later one less its time in the earlier (0 for a thread
 * started since), so a thread that ended between them takes nothing away (its time after the first
 * snapshot is lost; this harness's work runs in threads that live through it). Where there is no
 * {@code /proc} the whole process's time stands in for one thread.
 */
final class CpuClock {
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final boolean PROC = Files.isDirectory(TASKS);

  private final Map<String, Long> threads;

  private CpuClock(Map<String, Long> threads) {
    this.threads = threads;
  }

  /** Every thread's CPU time now. */
  static CpuClock now() {
    Map<String, Long> out = new HashMap<>();
    if (PROC) {
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
        for (Path task : tasks) {
          // a thread that ended while the directory was read is not in this snapshot
          onCpu(task).ifPresent(nanos -> out.put(task.getFileName().toString(), nanos));
        }
        return new CpuClock(out);
      } catch (IOException e) {
        // fall through to the process's time
      }
    }
    out.put(
        "process",
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime());
    return new CpuClock(out);
  }

  /** The CPU time the process's threads took since {@code earlier}, in nanoseconds. */
  long nanosSince(CpuClock earlier) {
    long sum = 0;
    for (Map.Entry<String, Long> t : threads.entrySet()) {
      sum += t.getValue() - earlier.threads.getOrDefault(t.getKey(), 0L);
    }
    return sum;
  }

  /**
   * A process's CPU time in nanoseconds from its {@code /proc/<pid>/schedstat}: all of it for a
   * single-threaded process (a PostgreSQL backend), the main thread's for others; 0 once it has
   * ended.
   */
  static long processNanos(long pid) {
    return onCpu(Path.of("/proc", Long.toString(pid))).orElse(0);
  }

  /** The first field of a task's {@code schedstat}: its time on the CPU, in nanoseconds. */
  private static OptionalLong onCpu(Path task) {
    try {
      String stat = Files.readString(task.resolve("schedstat"));
      return OptionalLong.of(Long.parseLong(stat.split(" ", 2)[0]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
