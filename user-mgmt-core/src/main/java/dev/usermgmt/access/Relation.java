package dev.usermgmt.access;

/** How the actor relates to the user an action targets. */
public enum Relation {
  /** The actor is the target. */
  SELF,
  /** The target reports to the actor directly. */
  DIRECT_REPORT,
  /** The target reports to the actor through other managers. */
  INDIRECT_REPORT,
  /** None of the above (or no target). */
  OTHER;

  /**
   * Whether the target is one of the actor's reports, directly or not.
   *
   * @return true for reports
   */
  public boolean isReport() {
    return this == DIRECT_REPORT || this == INDIRECT_REPORT;
  }
}
