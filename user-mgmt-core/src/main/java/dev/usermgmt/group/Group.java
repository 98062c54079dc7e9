package dev.usermgmt.group;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.ValueDomain;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * A group of users in a tenant ("Manage Groups"): groups define access to content, and a user may
 * belong to many. Membership is held on the user ({@code User.groups()}).
 */
@Value.Immutable
public abstract class Group {
  Group() {}

  /**
   * The stable id, referenced from {@code User.groups()}.
   *
   * @return the id
   */
  public abstract String id();

  /**
   * The name people search for.
   *
   * @return the name
   */
  public abstract String name();

  @Value.Check
  void check() {
    List<Problem> problems = new ArrayList<>();
    ValueDomain.text("id", id(), ValueDomain.MAX_NAME).ifPresent(problems::add);
    ValueDomain.text("name", name(), ValueDomain.MAX_TEXT).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }

  /**
   * A group.
   *
   * @param id the id
   * @param name the name
   * @return the group
   */
  public static Group of(String id, String name) {
    return builder().id(id).name(name).build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Group}. */
  public static final class Builder extends ImmutableGroup.Builder {
    Builder() {}
  }
}
