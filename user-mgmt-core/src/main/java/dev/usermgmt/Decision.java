package dev.usermgmt;

import java.util.Optional;

/**
 * The answer of the access policy: allow, or deny with a {@link Reason} a UI can show and a message
 * saying which rule denied.
 */
public final class Decision {
  private static final Decision ALLOW = new Decision(null, "allowed");

  /** Why an action was denied. Ids are stable. */
  public enum Reason {
    /** The actor's (effective) role is below what the action needs. */
    ROLE_TOO_LOW("role_too_low"),
    /** A feature flag the action needs is off for the tenant. */
    FLAG_DISABLED("flag_disabled"),
    /** The vendor support level is below what the action needs. */
    SUPPORT_LEVEL_TOO_LOW("support_level_too_low"),
    /** The action is for demo / POC tenants only. */
    NOT_DEMO_TENANT("not_demo_tenant"),
    /** The permission was revoked from this actor. */
    PERMISSION_REVOKED("permission_revoked"),
    /** The target belongs to another tenant. */
    OTHER_TENANT("other_tenant"),
    /** The actor may act only on themself or their reports. */
    NOT_SELF_OR_REPORT("not_self_or_report"),
    /** The field cannot be changed by this actor (or at all, like e-mail after creation). */
    FIELD_READ_ONLY("field_read_only"),
    /** Nobody assigns a role above their own. */
    ROLE_ABOVE_OWN("role_above_own"),
    /** The target's role is above the actor's. */
    TARGET_OUTRANKS("target_outranks"),
    /** The target user is not active (cannot be impersonated or signed in as). */
    TARGET_INACTIVE("target_inactive"),
    /** The actor is not an active user. */
    ACTOR_INACTIVE("actor_inactive"),
    /** Nobody deactivates, suspends, deletes, anonymises or impersonates themself. */
    NOT_ON_SELF("not_on_self"),
    /** Nobody changes their own role, domain roles, grants or revocations. */
    OWN_RIGHTS("own_rights"),
    /** Nobody grants or revokes an action they do not hold themself. */
    NOT_HELD("not_held"),
    /** The e-mail address or username of a user at or above the actor's rank. */
    IDENTITY_PROTECTED("identity_protected"),
    /** No lifecycle move leads from the status before to the status after. */
    NO_SUCH_MOVE("no_such_move");

    private final String id;

    Reason(String id) {
      this.id = id;
    }

    /**
     * The stable id.
     *
     * @return the id
     */
    public String id() {
      return id;
    }
  }

  private final Decision.@org.jspecify.annotations.Nullable Reason reason;
  private final String message;

  private Decision(Decision.@org.jspecify.annotations.Nullable Reason reason, String message) {
    this.reason = reason;
    this.message = message;
  }

  /**
   * Allow.
   *
   * @return the allowing decision
   */
  public static Decision allow() {
    return ALLOW;
  }

  /**
   * Deny.
   *
   * @param reason why
   * @param message which rule, for people
   * @return the denying decision
   */
  public static Decision deny(Reason reason, String message) {
    return new Decision(reason, message);
  }

  /**
   * Whether the action is allowed.
   *
   * @return true when allowed
   */
  public boolean allowed() {
    return reason == null;
  }

  /**
   * Why it was denied.
   *
   * @return the reason, or empty when allowed
   */
  public Optional<Reason> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Which rule decided, for people.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * This decision, or the other one when this allows (the first denial wins).
   *
   * @param other another decision
   * @return the combined decision
   */
  public Decision and(Decision other) {
    return allowed() ? other : this;
  }

  /**
   * Throws when denied.
   *
   * @throws AccessDeniedException carrying this decision
   */
  public void orThrow() {
    if (!allowed()) {
      throw new AccessDeniedException(this);
    }
  }

  @Override
  public String toString() {
    return allowed()
        ? "allow"
        : "deny(" + reason().map(Reason::id).orElse("") + ": " + message + ")";
  }
}
