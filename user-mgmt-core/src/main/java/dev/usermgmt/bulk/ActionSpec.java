package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An action with its parameters: the time of a scheduled activation, the group of a group action,
 * the modules of "set modules".
 *
 * @param action the action
 * @param at the time, for {@link SelectionAction#SCHEDULE_ACTIVATION}
 * @param group the group id, for the group actions
 * @param modules the modules, for {@link SelectionAction#SET_MODULES}
 */
public record ActionSpec(
    SelectionAction action, Optional<Instant> at, Optional<String> group, Set<String> modules) {
  /** Checks the parameters the action needs. */
  public ActionSpec {
    modules = Set.copyOf(modules);
    boolean ok =
        switch (action) {
          case SCHEDULE_ACTIVATION -> at.isPresent();
          case ADD_TO_GROUP, REMOVE_FROM_GROUP -> group.isPresent();
          default -> true;
        };
    if (!ok) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.MISSING_FIELD, "action", action + " needs its parameter"));
    }
  }

  /**
   * An action without parameters.
   *
   * @param action the action
   * @return the spec
   */
  public static ActionSpec of(SelectionAction action) {
    return new ActionSpec(action, Optional.empty(), Optional.empty(), Set.of());
  }

  /**
   * A group action.
   *
   * @param action {@link SelectionAction#ADD_TO_GROUP} or {@link SelectionAction#REMOVE_FROM_GROUP}
   * @param group the group id
   * @return the spec
   */
  public static ActionSpec group(SelectionAction action, String group) {
    return new ActionSpec(action, Optional.empty(), Optional.of(group), Set.of());
  }
}
