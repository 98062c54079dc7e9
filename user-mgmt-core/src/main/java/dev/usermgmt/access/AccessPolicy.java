package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserPatch;

/**
 * Decides who may do what. {@link DefaultAccessPolicy} encodes the reference gating tables; a host
 * may replace it, or wrap it to add rules (deny more, or allow what the default denies).
 */
public interface AccessPolicy {
  /**
   * May the actor perform an action (on a target related to them as given)?
   *
   * @param actor who acts
   * @param action what
   * @param relation how the target relates to the actor ({@link Relation#OTHER} without target)
   * @return the decision
   */
  Decision decide(Actor actor, Action action, Relation relation);

  /**
   * May the actor apply a patch to a user? Checks every field: roles not above the actor's own,
   * e-mail read-only in forms, self-service and manager limits, attribute flags.
   *
   * @param actor who acts
   * @param target the user before the edit
   * @param relation how the target relates to the actor
   * @param patch the edit
   * @param schema the tenant's attributes
   * @param channel where the edit comes from
   * @return the decision (the first denial)
   */
  Decision decideEdit(
      Actor actor,
      User target,
      Relation relation,
      UserPatch patch,
      AttributeSchema schema,
      EditChannel channel);

  /**
   * The part of a user record the actor may see: all of it for admins and the user themself; for
   * managers, the record with only the attributes visible to managers; user-reference attributes
   * only when allowed.
   *
   * @param actor who reads
   * @param target the record
   * @param relation how the target relates to the actor
   * @param schema the tenant's attributes
   * @return the visible record
   * @throws dev.usermgmt.AccessDeniedException when the actor may not see the user at all
   */
  User visiblePart(Actor actor, User target, Relation relation, AttributeSchema schema);
}
