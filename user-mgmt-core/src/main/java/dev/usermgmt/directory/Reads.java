package dev.usermgmt.directory;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.query.Condition;
import dev.usermgmt.query.FilterLimits;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.QueryAttributes;
import dev.usermgmt.query.SearchText;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.spi.UserQueries;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.Collection;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every read of users: one record, lookups, pages, walks, suggestions, the manager hierarchy. What
 * each returns is what the actor may see of it ({@link Visibility}), and a query may filter and
 * sort only by what the actor may see.
 */
final class Reads {
  /** The fields a free-text search looks in. */
  static final Set<UserField> SEARCHED = SearchText.FIELDS;

  private final Services services;
  private final FilterLimits limits;

  Reads(Services services, FilterLimits limits) {
    this.services = services;
    this.limits = limits;
  }

  User get(Actor actor, UserId id) {
    Actor now = services.current(actor);
    User u = services.load(now.tenant(), id);
    return services.visible(now, u, services.schema(now.tenant()));
  }

  Map<String, User> findByEmails(Actor actor, Collection<EmailAddress> emails) {
    Actor now = services.current(actor);
    services.require(now, Action.VIEW_USERS);
    Lister list = lister(now);
    Map<String, User> out = new LinkedHashMap<>();
    services
        .lookupEmails(now.tenant(), new LinkedHashSet<>(emails))
        .forEach((k, u) -> out.put(k, list.show(u)));
    return out;
  }

  Page<User> search(Actor actor, UserQuery query) {
    query.filter().ifPresent(limits::check);
    Actor now = services.current(actor);
    services.require(now, Action.VIEW_USERS);
    TenantId tenant = now.tenant();
    Optional<Keyset> after = query.cursor().map(c -> services.cursors().decode(query, c));
    // the schema and the page in one read where the store can; the lister of the schema the page
    // was read with shows it (one schema, or two when a definition changed between reads: a map
    // sized for a few, as the default one of 32 entries cost a tenth of an in-memory page)
    IdentityHashMap<AttributeSchema, Lister> listers = new IdentityHashMap<>(2);
    UserQueries.SchemaPage read =
        services
            .stores()
            .users()
            .query(
                tenant,
                services.stores().attributes(),
                schema -> {
                  Lister l = listers.computeIfAbsent(schema, s -> new Lister(now, s));
                  PreparedQuery p =
                      PreparedQuery.prepare(
                          query, schema, services.roles(), after, query.pageSize() + 1);
                  l.checkQuery(p);
                  return p;
                });
    Lister list = listers.computeIfAbsent(read.schema(), s -> new Lister(now, s));
    PreparedQuery prepared = read.query();
    List<User> rows = read.users();
    boolean more = rows.size() > query.pageSize();
    List<User> page = more ? rows.subList(0, query.pageSize()) : rows;
    Optional<String> next = Optional.empty();
    if (more) {
      QueryEvaluator eval = QueryEvaluator.of(prepared, id -> List.of());
      next = Optional.of(services.cursors().encode(query, eval.keyset(page.get(page.size() - 1))));
    }
    OptionalLong total =
        query.includeTotal()
            ? OptionalLong.of(services.stores().users().count(tenant, prepared))
            : OptionalLong.empty();
    return new Page<>(page.stream().map(list::show).toList(), next, total);
  }

  /**
   * Every page of a query, read in one snapshot of the store ({@link
   * dev.usermgmt.spi.Transactions#inSnapshot}): users others edit meanwhile are seen once, as they
   * were when the walk began. The pages' consumer must not write through the same thread.
   */
  void walk(Actor actor, UserQuery query, Consumer<List<User>> pages) {
    query.filter().ifPresent(limits::check);
    Actor now = services.current(actor);
    services.require(now, Action.VIEW_USERS);
    services
        .stores()
        .transactions()
        .inSnapshot(
            () -> {
              walkPages(now, query, pages);
              return Boolean.TRUE;
            });
  }

  private void walkPages(Actor now, UserQuery query, Consumer<List<User>> pages) {
    TenantId tenant = now.tenant();
    Lister list = lister(now);
    Optional<Keyset> after = Optional.empty();
    while (true) {
      PreparedQuery prepared =
          PreparedQuery.prepare(query, list.schema, services.roles(), after, query.pageSize());
      list.checkQuery(prepared);
      List<User> rows = services.stores().users().query(tenant, prepared);
      if (rows.isEmpty()) {
        return;
      }
      pages.accept(rows.stream().map(list::show).toList());
      if (rows.size() < query.pageSize()) {
        return;
      }
      after =
          Optional.of(
              QueryEvaluator.of(prepared, id -> List.of()).keyset(rows.get(rows.size() - 1)));
    }
  }

  List<String> distinctValues(Actor actor, String attribute, String prefix, int limit) {
    Actor now = services.current(actor);
    services.require(now, Action.VIEW_USERS);
    Lister list = lister(now);
    QueryAttribute a = QueryAttributes.require(attribute, list.schema);
    if (a.type() != QueryAttribute.Type.TEXT || a.multiValued() || a.field().isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_QUERY, "attribute", attribute + " has no values to suggest"));
    }
    list.checkAttribute(a);
    checkPrefix(prefix);
    return services.stores().users().distinctValues(now.tenant(), a, prefix, limit);
  }

  /**
   * Refuses a suggestion prefix no stored text can start with (a lone surrogate, a control
   * character), as a filter literal outside the value domain is refused: a store would otherwise
   * compare with what its driver makes of it (a lone surrogate sent as {@code ?}).
   */
  private static void checkPrefix(String prefix) {
    ValueDomain.characterProblem(prefix)
        .ifPresent(
            p -> {
              throw new InvalidInputException(
                  Problem.ofField(ErrorCode.INVALID_QUERY, "prefix", "the prefix " + p));
            });
  }

  List<User> suggestUsers(Actor actor, String prefix, int limit) {
    Actor now = services.current(actor);
    services.require(now, Action.VIEW_USERS);
    Lister list = lister(now);
    list.checkFields(SEARCHED, "suggestions");
    checkPrefix(prefix);
    return services.stores().users().suggestUsers(now.tenant(), prefix, limit).stream()
        .map(list::show)
        .toList();
  }

  List<User> ancestors(Actor actor, UserId id) {
    Actor now = services.current(actor);
    User u = services.load(now.tenant(), id);
    AttributeSchema schema = services.schema(now.tenant());
    services.visible(now, u, schema);
    if (!services
        .visibility(now, Relation.OTHER, schema, Visibility.Purpose.RECORD)
        .sees(UserField.MANAGER_ID)) {
      throw hidden("the managers of a user");
    }
    return visibleAll(now, services.hierarchy().ancestors(now.tenant(), u), schema);
  }

  List<User> reports(Actor actor, UserId id, boolean indirect) {
    Actor now = services.current(actor);
    if (!now.userId().equals(Optional.of(id))) {
      services.require(now, Action.VIEW_USERS);
    }
    AttributeSchema schema = services.schema(now.tenant());
    return visibleAll(now, services.hierarchy().reports(now.tenant(), id, indirect), schema);
  }

  /** Users of a hierarchy read as the actor may see each, the relations worked out together. */
  private List<User> visibleAll(Actor now, List<User> users, AttributeSchema schema) {
    Map<UserId, Relation> relations =
        services.hierarchy().relations(now.userId(), now.tenant(), users);
    return users.stream()
        .map(u -> services.visible(now, u, schema, relations.getOrDefault(u.id(), Relation.OTHER)))
        .toList();
  }

  private Lister lister(Actor actor) {
    return new Lister(actor, services.schema(actor.tenant()));
  }

  private static AccessDeniedException hidden(String what) {
    return new AccessDeniedException(
        Decision.deny(Decision.Reason.FIELD_READ_ONLY, what + " is not visible to the actor"));
  }

  /** Shows users in lists, and checks queries, by what the actor may see of users in general. */
  private final class Lister {
    private final Actor actor;
    private final AttributeSchema schema;
    private final Visibility others;
    private final Visibility self;

    Lister(Actor actor, AttributeSchema schema) {
      this.actor = actor;
      this.schema = schema;
      this.others = services.visibility(actor, Relation.OTHER, schema, Visibility.Purpose.RECORD);
      this.self = services.visibility(actor, Relation.SELF, schema, Visibility.Purpose.RECORD);
      if (!others.seesUser()) {
        throw new AccessDeniedException(
            Decision.deny(
                Decision.Reason.ROLE_TOO_LOW, "the actor may not see the users of the tenant"));
      }
    }

    User show(User u) {
      return (actor.userId().equals(Optional.of(u.id())) ? self : others).apply(u);
    }

    void checkQuery(PreparedQuery q) {
      if (!q.searchWords().isEmpty()) {
        checkFields(SEARCHED, "a free-text search");
      }
      q.sort().forEach(s -> checkAttribute(s.attribute()));
      q.condition().ifPresent(this::checkCondition);
    }

    private void checkCondition(Condition c) {
      if (c instanceof Condition.All all) {
        all.conditions().forEach(this::checkCondition);
      } else if (c instanceof Condition.Any any) {
        any.conditions().forEach(this::checkCondition);
      } else if (c instanceof Condition.Negation n) {
        checkCondition(n.condition());
      } else if (c instanceof Condition.Comparison cmp) {
        checkAttribute(cmp.attribute());
      } else if (c instanceof Condition.Presence p) {
        checkAttribute(p.attribute());
      } else if (c instanceof Condition.ContactPath path) {
        checkFields(
            EnumSet.of(path.email() ? UserField.PRIMARY_EMAIL : UserField.PHONE_NUMBER),
            "a filter on contacts");
      }
    }

    void checkAttribute(QueryAttribute a) {
      if (a.customKey().isPresent()) {
        if (!others.seesAttribute(a.customKey().get())) {
          throw hidden("the attribute '" + a.name() + "'");
        }
        return;
      }
      QueryAttributes.sourceField(a)
          .filter(f -> !others.sees(f))
          .ifPresent(
              f -> {
                throw hidden("the field '" + a.name() + "'");
              });
    }

    void checkFields(Set<UserField> fields, String what) {
      if (!others.hidden(fields).isEmpty()) {
        throw hidden(what + " over " + others.hidden(fields));
      }
    }
  }
}
