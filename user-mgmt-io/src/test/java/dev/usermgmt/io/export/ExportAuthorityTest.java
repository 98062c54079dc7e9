package dev.usermgmt.io.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter asks the access policy before it writes a byte: an actor whose EXPORT is revoked, a
 * Blocked actor, and a column the actor may not see are refused with {@code access_denied}, with
 * nothing written to the file and nothing to the store. (The exporter is in this module, which the
 * testkit's {@code AuthorityContract} cannot depend on; the refusals happen before the store is
 * read, on the in-memory store here, whose semantics every store's contract checks.)
 */
final class ExportAuthorityTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = Fixtures.freshTenant();
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .featureFlags(
              FeatureFlags.of(Map.of(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES, false)))
          .build();
  final UserExporter exporter = UserExporter.of(directory);

  @BeforeEach
  void people() {
    stores
        .attributes()
        .put(
            tenant,
            java.util.Optional.empty(),
            AttributeDefinition.builder()
                .key("mentor")
                .label("Mentor")
                .type(AttributeType.USER_REF)
                .build());
    put(
        "lee",
        ROLES.defaultRole(),
        b -> b.putAttributes("mentor", AttributeValue.userRef(UserId.of("lee"))));
  }

  User put(String id, Role role, UnaryOperator<User.Builder> more) {
    User u = more.apply(Fixtures.user(tenant, id).toBuilder().role(role)).build();
    stores.users().insert(tenant, List.of(u));
    return u;
  }

  Actor as(String id) {
    return Actor.forUser(stores.users().get(tenant, UserId.of(id)).orElseThrow(), ROLES).build();
  }

  /** Exports as an actor and expects access_denied with an empty file and an unchanged store. */
  void assertExportDenied(Actor actor, ExportSpec spec) {
    assertExportDenied(actor, spec, exporter);
  }

  void assertExportDenied(Actor actor, ExportSpec spec, UserExporter exporter) {
    List<User> users = stores.users().scan(tenant, Optional.empty(), 1000);
    var log = stores.changeLog().page(tenant, 0, 1000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ExportFormat format : ExportFormat.values()) {
      assertThatThrownBy(
              () -> exporter.export(actor, UserQuery.all(), spec, format, out, BulkListener.NONE))
          .isInstanceOf(UserMgmtException.class)
          .extracting(e -> ((UserMgmtException) e).code())
          .isEqualTo(ErrorCode.ACCESS_DENIED);
    }
    assertThat(out.size()).isZero();
    assertThat(stores.users().scan(tenant, Optional.empty(), 1000)).isEqualTo(users);
    assertThat(stores.changeLog().page(tenant, 0, 1000)).isEqualTo(log);
  }

  @Test
  void exporterWithExportRevokedIsRefused() {
    put("admin", ROLES.adminRole(), b -> b.permissionRevocations(java.util.Set.of("EXPORT")));
    assertExportDenied(as("admin"), ExportSpec.defaults());
    // the revocation binds even when the host's actor does not carry it
    Actor claimsNone = Actor.builder().from(as("admin")).revocations(java.util.Set.of()).build();
    assertExportDenied(claimsNone, ExportSpec.defaults());
  }

  @Test
  void exporterRefusesAColumnTheActorMayNotSee() {
    put("admin", ROLES.adminRole(), b -> b);
    assertExportDenied(as("admin"), ExportSpec.defaults().withAttributes(List.of("mentor")));
    // without the hidden column the same actor exports
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n =
        exporter.export(
            as("admin"),
            UserQuery.all(),
            ExportSpec.defaults(),
            ExportFormat.CSV,
            out,
            BulkListener.NONE);
    assertThat(n).isEqualTo(2);
  }

  @Test
  void blockedActorCannotExport() {
    put("bob", ROLES.blockedRole(), b -> b);
    assertExportDenied(as("bob"), ExportSpec.defaults());
    assertExportDenied(
        Actor.builder()
            .tenant(tenant)
            .userId(UserId.of("host-bob"))
            .role(ROLES.blockedRole())
            .build(),
        ExportSpec.defaults());
  }

  /** Public methods of io's entry points that need no authority, with the reason. */
  static final Map<String, String> NEEDS_NO_AUTHORITY =
      Map.of(
          "UserExporter.of(UserDirectory)", "makes an exporter over a directory",
          "UserExporter.headers(ExportSpec,AttributeSchema)",
              "the column names of a spec: reads no user",
          "MappingContext.of(UserDirectory,Actor)",
              "the tenant's attribute definitions, roles, phone region and modules: configuration"
                  + " the directory gives without an actor, no user data");

  static java.util.SortedSet<String> publicMethods(Class<?> type) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isPublic(m.getModifiers())
          && !m.isSynthetic()
          && (type != dev.usermgmt.io.mapping.MappingContext.class
              || java.lang.reflect.Modifier.isStatic(m.getModifiers()))) {
        StringBuilder b = new StringBuilder(type.getSimpleName()).append('.').append(m.getName());
        b.append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
          b.append(i == 0 ? "" : ",").append(params[i].getSimpleName());
        }
        out.add(b.append(')').toString());
      }
    }
    return out;
  }

  @Test
  void aHostPolicyThatDeniesEverythingRefusesTheExport() {
    dev.usermgmt.access.AccessPolicy denyAll =
        new dev.usermgmt.access.AccessPolicy() {
          @Override
          public dev.usermgmt.Decision decide(Actor actor, dev.usermgmt.Action action) {
            return dev.usermgmt.Decision.deny(dev.usermgmt.Decision.Reason.ROLE_TOO_LOW, "no");
          }

          @Override
          public dev.usermgmt.Decision decide(
              Actor actor,
              dev.usermgmt.Action action,
              User target,
              dev.usermgmt.access.Relation relation) {
            return decide(actor, action);
          }

          @Override
          public dev.usermgmt.Decision decideWrite(
              Actor actor, dev.usermgmt.access.UserWrite write) {
            return decide(actor, dev.usermgmt.Action.EDIT_USER);
          }

          @Override
          public dev.usermgmt.access.Visibility visibility(
              Actor actor,
              dev.usermgmt.access.Relation relation,
              dev.usermgmt.attribute.AttributeSchema schema,
              dev.usermgmt.access.Visibility.Purpose purpose) {
            return dev.usermgmt.access.Visibility.none();
          }
        };
    UserDirectory denying = UserDirectory.builder().stores(stores).policy(denyAll).build();
    put("admin", ROLES.adminRole(), b -> b);
    Actor admin = as("admin");
    // the actor may export under the default policy
    assertThat(
            exporter.export(
                admin,
                UserQuery.all(),
                ExportSpec.defaults(),
                ExportFormat.CSV,
                new ByteArrayOutputStream(),
                BulkListener.NONE))
        .isEqualTo(2);
    java.util.SortedSet<String> methods = publicMethods(UserExporter.class);
    methods.addAll(publicMethods(dev.usermgmt.io.mapping.MappingContext.class));
    methods.removeAll(NEEDS_NO_AUTHORITY.keySet());
    assertThat(methods)
        .as("every public method of io's entry points has a case, or a reason to need none")
        .containsExactly(
            "UserExporter.export(Actor,UserQuery,ExportSpec,ExportFormat,OutputStream,BulkListener)");
    UserExporter denied = UserExporter.of(denying);
    assertExportDenied(admin, ExportSpec.defaults(), denied);
  }
}
