package dev.usermgmt.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The highest heap use since {@link #reset}: the whole heap at one instant, where the sum of each
 * pool's own peak added up peaks of different instants (eden full before a collection, the old
 * generation full after it) and overstated it. Between two collections the heap only grows, so its
 * peak is at the end or just before a collection: the heap's use before each collection, from the
 * collectors' notifications ({@link GarbageCollectionNotificationInfo}), and its use at the end.
 * The notifications arrive on the JVM's own thread shortly after each collection; {@link #peak}
 * waits (up to a second) until every collection the collectors have counted has been received.
 */
final class HeapPeak {
  private static final List<MemoryPoolMXBean> HEAP =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .toList();
  private static final Set<String> HEAP_NAMES =
      HEAP.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private static final AtomicLong PEAK = new AtomicLong();
  private static final AtomicLong RECEIVED = new AtomicLong();
  private static final long RECEIVED_AT_START;

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    n.getType())) {
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                  PEAK.accumulateAndGet(
                      heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                  RECEIVED.incrementAndGet();
                }
              },
              null,
              null);
    }
    // counted after the listeners are added: a collection in between is both counted and
    // received, which only lets a later wait end one notification early
    RECEIVED_AT_START = counted();
  }

  private HeapPeak() {}

  private static long heapUsed(Map<String, MemoryUsage> pools) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> p : pools.entrySet()) {
      if (HEAP_NAMES.contains(p.getKey())) {
        used += p.getValue().getUsed();
      }
    }
    return used;
  }

  private static long heapUsedNow() {
    long used = 0;
    for (MemoryPoolMXBean p : HEAP) {
      used += p.getUsage().getUsed();
    }
    return used;
  }

  /** Starts a new peak from the heap's use now, every collection so far received. */
  static void reset() {
    awaitNotifications();
    PEAK.set(heapUsedNow());
  }

  /** The highest heap use since {@link #reset}, in bytes. */
  static long peak() {
    awaitNotifications();
    return PEAK.accumulateAndGet(heapUsedNow(), Math::max);
  }

  private static void awaitNotifications() {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (RECEIVED.get() + RECEIVED_AT_START < counted() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static long counted() {
    long counted = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      counted += Math.max(0, gc.getCollectionCount());
    }
    return counted;
  }
}
