package dev.usermgmt.io.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.role.Role;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Serializers of the domain values: ids, e-mail addresses and phone numbers as strings (read back
 * through their parsers, so a bad value is a mapping error, not a half-built object), instants and
 * dates as ISO-8601 strings, roles by key, attribute values in their JSON type, problems and field
 * diffs as objects, and users as objects of their set fields.
 */
final class DomainJson {
  private DomainJson() {}

  static void register(SimpleModule m) {
    text(m, UserId.class, UserId::value, UserId::of);
    text(m, TenantId.class, TenantId::value, TenantId::of);
    text(m, EmailAddress.class, EmailAddress::value, EmailAddress::parse);
    text(m, PhoneNumber.class, PhoneNumber::e164, PhoneNumber::parse);
    text(m, Instant.class, Instant::toString, Instant::parse);
    text(m, LocalDate.class, LocalDate::toString, LocalDate::parse);
    m.addSerializer(Role.class, serializer((r, g) -> g.writeString(r.key())));
    m.addSerializer(AttributeValue.class, serializer(DomainJson::attribute));
    m.addSerializer(Problem.class, serializer(DomainJson::problem));
    m.addSerializer(FieldDiff.class, serializer(DomainJson::diff));
    m.addSerializer(User.class, serializer(DomainJson::user));
  }

  /** Writes a value with a generator. */
  interface Writer<T> {
    void write(T value, JsonGenerator g) throws IOException;
  }

  private static <T> JsonSerializer<T> serializer(Writer<T> writer) {
    return new JsonSerializer<>() {
      @Override
      public void serialize(T value, JsonGenerator g, SerializerProvider p) throws IOException {
        writer.write(value, g);
      }
    };
  }

  private static <T> void text(
      SimpleModule m, Class<T> type, Function<T, String> format, Function<String, T> parse) {
    m.addSerializer(type, serializer((v, g) -> g.writeString(format.apply(v))));
    m.addDeserializer(
        type,
        new JsonDeserializer<T>() {
          @Override
          public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
              @SuppressWarnings("unchecked")
              T t = (T) ctx.handleUnexpectedToken(type, p);
              return t;
            }
            String text = p.getText();
            try {
              return parse.apply(text);
            } catch (RuntimeException e) {
              @SuppressWarnings("unchecked")
              T t =
                  (T)
                      ctx.handleWeirdStringValue(
                          type, text, "not a valid %s: %s", type.getSimpleName(), e.getMessage());
              return t;
            }
          }
        });
  }

  private static void attribute(AttributeValue v, JsonGenerator g) throws IOException {
    switch (v.type()) {
      case NUMBER -> g.writeNumber(v.asNumber());
      case BOOLEAN -> g.writeBoolean(v.asBoolean());
      default -> g.writeString(v.canonical());
    }
  }

  private static void problem(Problem p, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("code", p.code().id());
    g.writeStringField("message", p.message());
    if (p.field().isPresent()) {
      g.writeStringField("field", p.field().get());
    }
    if (p.row().isPresent()) {
      g.writeNumberField("row", p.row().getAsLong());
    }
    if (p.column().isPresent()) {
      g.writeStringField("column", p.column().get());
    }
    g.writeEndObject();
  }

  private static void diff(FieldDiff d, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("field", d.field());
    optional(g, "before", d.before());
    optional(g, "after", d.after());
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    } else {
      g.writeNullField(name);
    }
  }

  private static void user(User u, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", u.id().value());
    g.writeStringField("tenant", u.tenant().value());
    g.writeNumberField("version", u.version());
    for (UserField f : UserField.values()) {
      Optional<Object> v = f.get(u);
      if (v.isEmpty()) {
        continue;
      }
      Object value = v.get();
      if (value instanceof Boolean b) {
        g.writeBooleanField(f.key(), b);
      } else if (value instanceof Integer n) {
        g.writeNumberField(f.key(), n);
      } else if (value instanceof Role r) {
        g.writeStringField(f.key(), r.key());
      } else {
        g.writeStringField(f.key(), f.format(value));
      }
    }
    g.writeObjectFieldStart("attributes");
    for (Map.Entry<String, AttributeValue> e : u.attributes().entrySet()) {
      g.writeFieldName(e.getKey());
      attribute(e.getValue(), g);
    }
    g.writeEndObject();
    g.writeEndObject();
  }
}
