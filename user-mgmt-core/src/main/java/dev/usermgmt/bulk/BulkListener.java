package dev.usermgmt.bulk;

/** Receives progress of long plans and applies, for a progress bar. */
@FunctionalInterface
public interface BulkListener {
  /** A listener that ignores progress. */
  BulkListener NONE = (step, done, total) -> {};

  /**
   * Progress of a step.
   *
   * @param step what is being done ({@code "lookup"}, {@code "apply"})
   * @param done how many items are done
   * @param total how many there are
   */
  void progress(String step, long done, long total);
}
