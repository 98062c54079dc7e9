package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.user.User;

/**
 * The one place that decides who may do what. The library asks it, and nothing else, before every
 * operation, for every user every operation writes, and for everything a read returns; a host's own
 * policy gets exactly the calls {@link DefaultAccessPolicy} gets. A host replaces the default or
 * wraps it to add rules (deny more, or allow what the default denies).
 *
 * <table>
 *   <caption>When the library asks</caption>
 *   <tr><th>method</th><th>asked</th></tr>
 *   <tr><td>{@link #decide(Actor, Action)}</td><td>before an operation with no single target
 *       (opening the users table, planning a file, exporting a view)</td></tr>
 *   <tr><td>{@link #decide(Actor, Action, User, Relation)}</td><td>before an operation on one
 *       user (deactivate, impersonate, read a record)</td></tr>
 *   <tr><td>{@link #decideWrite}</td><td>for every user written, by every entry point (single-user
 *       calls, every bulk apply, action files, selections, invitations, undo, due schedules),
 *       inside the write's transaction, with the actor's rights as they are then</td></tr>
 *   <tr><td>{@link #visibility}</td><td>for everything a read returns (records, pages, walks,
 *       exports, hierarchy lists, suggestions, the change log) and every attribute a query filters
 *       or sorts by</td></tr>
 * </table>
 */
public interface AccessPolicy {
  /**
   * May the actor perform an action with no particular target?
   *
   * @param actor who acts
   * @param action what
   * @return the decision
   */
  Decision decide(Actor actor, Action action);

  /**
   * May the actor perform an action on a user?
   *
   * @param actor who acts
   * @param action what
   * @param target the stored user acted on
   * @param relation how the target relates to the actor
   * @return the decision
   */
  Decision decide(Actor actor, Action action, User target, Relation relation);

  /**
   * May the actor, now, turn the stored user into the one after the write (create it, change it, or
   * delete it)? Judged on the change itself, whatever operation makes it.
   *
   * @param actor who acts, with their rights as they are at the time of the write
   * @param write the write
   * @return the decision
   */
  Decision decideWrite(Actor actor, UserWrite write);

  /**
   * What of users an actor may see.
   *
   * @param actor who reads
   * @param relation how the users read relate to the actor ({@link Relation#OTHER} for lists,
   *     filters, sorts and exports)
   * @param schema the tenant's attributes
   * @param purpose the record, or its history
   * @return the visibility
   */
  Visibility visibility(
      Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose);
}
