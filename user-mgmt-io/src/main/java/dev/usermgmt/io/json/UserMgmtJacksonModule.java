package dev.usermgmt.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeactivationResult;
import dev.usermgmt.bulk.FlaggedAddress;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.io.mapping.EmailColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Jackson module of the library: the deactivation-from-file request, dry-run response and apply
 * response in exactly the reference API's shapes:
 *
 * <pre>
 * request:  {"emails": ["alex@example.com"], "allowInternalEmails": false}
 * dry run:  {"toDeactivate": [{"_id", "primaryEmail", "firstName", "lastName"}],
 *            "alreadyInactive": [{"primaryEmail", "firstName", "lastName"}], "notFound": [...]}
 * apply:    the dry run's keys + "deactivatedCount" + "failedEmails"
 * </pre>
 *
 * <p>It also writes the domain values (ids, e-mail addresses and phones as strings, instants and
 * dates in ISO-8601, roles by key, attribute values typed, users as objects of their set fields,
 * problems with code, row and column) and so every plan and result of the bulk engine, which are
 * records of those values. An update plan also carries its {@code summary} (rows, count of each
 * kind, problems) and writes its rows as it reads them, so a plan whose previews are on disk is
 * streamed; a host that sends pages writes {@link UpdatePlan#previews(long, int)} instead.
 *
 * <p>The name of the request's "allow internal e-mails" flag is configuration (the reference
 * product names it after its vendor); {@link Builder#extended} adds the plan's {@code invalid} and
 * {@code excludedInternal} lists, which the reference only counts, {@code flagged} (the file row of
 * every invalid, repeated and internal address: {@code {"row", "address", "reason", "firstRow"}})
 * and {@code counts} (the size of every group). The candidate columns of a deactivation file are
 * written as {@code {"index", "column", "header", "valid", "nonBlank", "share"}}.
 */
public final class UserMgmtJacksonModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  private UserMgmtJacksonModule(Builder b) {
    super("user-mgmt");
    java.util.Set<String> flags = new java.util.LinkedHashSet<>();
    flags.add(b.internalEmailsField);
    flags.addAll(b.internalEmailsAliases);
    boolean extended = b.extended;
    addDeserializer(
        DeactivationRequest.class, new RequestDeserializer(java.util.Set.copyOf(flags)));
    addSerializer(DeactivationPlan.class, new PlanSerializer(extended));
    addSerializer(DeactivationResult.class, new ResultSerializer(extended));
    addSerializer(EmailColumns.Candidate.class, new CandidateSerializer());
    addSerializer(UpdatePlan.class, new UpdatePlanSerializer());
    DomainJson.register(this);
  }

  /**
   * Registers Jackson's {@code Optional} support first, so the plans (records with optional
   * components) serialise as values or nulls.
   *
   * @return the modules this one needs
   */
  @Override
  public Iterable<? extends com.fasterxml.jackson.databind.Module> getDependencies() {
    return java.util.List.of(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
  }

  /**
   * The module with the default names.
   *
   * @return the module
   */
  public static UserMgmtJacksonModule create() {
    return builder().build();
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures the module. */
  public static final class Builder {
    private String internalEmailsField = "allowInternalEmails";
    private final List<String> internalEmailsAliases = new ArrayList<>();
    private boolean extended;

    private Builder() {}

    /**
     * The JSON name of the request's "allow internal e-mails" flag.
     *
     * @param name e.g. the reference product's vendor-specific name
     * @return this builder
     */
    public Builder internalEmailsField(String name) {
      this.internalEmailsField = name;
      return this;
    }

    /**
     * Further JSON names accepted for the same flag, so that a host accepts the reference product's
     * exact request bodies (which name the flag after the vendor) beside its own name. The vendor's
     * name is the host's configuration, never a constant of the library.
     *
     * @param names the accepted aliases
     * @return this builder
     */
    public Builder internalEmailsAliases(List<String> names) {
      this.internalEmailsAliases.addAll(names);
      return this;
    }

    /**
     * Whether responses also list the invalid and excluded internal addresses, the rows of every
     * flagged address and the counts of every group.
     *
     * @param extended the flag
     * @return this builder
     */
    public Builder extended(boolean extended) {
      this.extended = extended;
      return this;
    }

    /**
     * The module.
     *
     * @return the module
     */
    public UserMgmtJacksonModule build() {
      return new UserMgmtJacksonModule(this);
    }
  }

  private static final class RequestDeserializer extends JsonDeserializer<DeactivationRequest> {
    private final java.util.Set<String> flags;

    RequestDeserializer(java.util.Set<String> flags) {
      this.flags = flags;
    }

    @Override
    public DeactivationRequest deserialize(JsonParser p, DeserializationContext ctx)
        throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        return (DeactivationRequest) ctx.handleUnexpectedToken(DeactivationRequest.class, p);
      }
      List<String> emails = new ArrayList<>();
      boolean allow = false;
      boolean sawEmails = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("emails")) {
          sawEmails = true;
          if (t != JsonToken.START_ARRAY) {
            return (DeactivationRequest) ctx.handleUnexpectedToken(List.class, p);
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
              return (DeactivationRequest) ctx.handleUnexpectedToken(String.class, p);
            }
            emails.add(p.getText());
          }
        } else if (flags.contains(name)) {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            return (DeactivationRequest) ctx.handleUnexpectedToken(Boolean.class, p);
          }
          allow = p.getBooleanValue();
        } else {
          ctx.handleUnknownProperty(p, this, DeactivationRequest.class, name);
          p.skipChildren();
        }
      }
      if (!sawEmails) {
        ctx.reportInputMismatch(DeactivationRequest.class, "the request has no \"emails\"");
      }
      return new DeactivationRequest(emails, allow);
    }
  }

  private static void users(JsonGenerator g, String name, List<PlannedUser> users, boolean withId)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (PlannedUser u : users) {
      g.writeStartObject();
      if (withId) {
        g.writeStringField("_id", u.id().value());
      }
      if (u.primaryEmail().isPresent()) {
        g.writeStringField("primaryEmail", u.primaryEmail().get());
      }
      if (u.firstName().isPresent()) {
        g.writeStringField("firstName", u.firstName().get());
      }
      if (u.lastName().isPresent()) {
        g.writeStringField("lastName", u.lastName().get());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void strings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void planFields(JsonGenerator g, DeactivationPlan plan, boolean extended)
      throws IOException {
    users(g, "toDeactivate", plan.toDeactivate(), true);
    users(g, "alreadyInactive", plan.alreadyInactive(), false);
    strings(g, "notFound", plan.notFound());
    if (extended) {
      strings(g, "invalid", plan.invalid());
      strings(g, "excludedInternal", plan.excludedInternal());
      g.writeArrayFieldStart("flagged");
      for (FlaggedAddress f : plan.flagged()) {
        g.writeStartObject();
        g.writeNumberField("row", f.row());
        g.writeStringField("address", f.address());
        g.writeStringField("reason", f.reason().name().toLowerCase(Locale.ROOT));
        if (f.firstRow().isPresent()) {
          g.writeNumberField("firstRow", f.firstRow().getAsLong());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      DeactivationPlan.Counts c = plan.counts();
      g.writeObjectFieldStart("counts");
      g.writeNumberField("toDeactivate", c.toDeactivate());
      g.writeNumberField("alreadyInactive", c.alreadyInactive());
      g.writeNumberField("notFound", c.notFound());
      g.writeNumberField("invalid", c.invalid());
      g.writeNumberField("duplicates", c.duplicates());
      g.writeNumberField("excludedInternal", c.excludedInternal());
      g.writeNumberField("lookAlikes", c.lookAlikes());
      g.writeEndObject();
    }
  }

  private static final class PlanSerializer extends JsonSerializer<DeactivationPlan> {
    private final boolean extended;

    PlanSerializer(boolean extended) {
      this.extended = extended;
    }

    @Override
    public void serialize(DeactivationPlan plan, JsonGenerator g, SerializerProvider p)
        throws IOException {
      g.writeStartObject();
      planFields(g, plan, extended);
      g.writeEndObject();
    }
  }

  private static final class CandidateSerializer extends JsonSerializer<EmailColumns.Candidate> {
    @Override
    public void serialize(EmailColumns.Candidate c, JsonGenerator g, SerializerProvider p)
        throws IOException {
      g.writeStartObject();
      g.writeNumberField("index", c.index());
      g.writeStringField("column", dev.usermgmt.io.table.TableRow.columnName(c.index()));
      g.writeStringField("header", c.header());
      g.writeNumberField("valid", c.valid());
      g.writeNumberField("nonBlank", c.nonBlank());
      g.writeNumberField("share", c.share());
      g.writeEndObject();
    }
  }

  /**
   * An update plan: its fields, its summary, and its rows written one by one as they are read (a
   * plan whose previews are on disk is streamed, never held whole).
   */
  private static final class UpdatePlanSerializer extends JsonSerializer<UpdatePlan> {
    @Override
    public void serialize(UpdatePlan plan, JsonGenerator g, SerializerProvider p)
        throws IOException {
      g.writeStartObject();
      g.writeStringField("id", plan.id());
      g.writeStringField("tenant", plan.tenant().value());
      g.writeStringField("createdAt", plan.createdAt().toString());
      p.defaultSerializeField("options", plan.options(), g);
      p.defaultSerializeField("summary", plan.summary(), g);
      g.writeArrayFieldStart("rows");
      for (RowPreview r : plan.rows()) {
        p.defaultSerializeValue(r, g);
      }
      g.writeEndArray();
      g.writeStringField("seal", plan.seal());
      g.writeEndObject();
    }
  }

  private static final class ResultSerializer extends JsonSerializer<DeactivationResult> {
    private final boolean extended;

    ResultSerializer(boolean extended) {
      this.extended = extended;
    }

    @Override
    public void serialize(DeactivationResult r, JsonGenerator g, SerializerProvider p)
        throws IOException {
      g.writeStartObject();
      planFields(g, r.plan(), extended);
      g.writeNumberField("deactivatedCount", r.deactivatedCount());
      strings(g, "failedEmails", r.failedEmails());
      g.writeEndObject();
    }
  }
}
