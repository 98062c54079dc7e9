package dev.usermgmt.io.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/** A JSON array of objects, one per row, keyed by the header; values keep their JSON types. */
final class JsonWriter implements TableWriter {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();
  private final JsonGenerator json;
  private List<String> keys = List.of();

  JsonWriter(OutputStream out) {
    try {
      this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      json.writeStartArray();
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }

  @Override
  public void header(List<String> names) {
    keys = List.copyOf(names);
  }

  @Override
  public void row(List<?> values) {
    try {
      json.writeStartObject();
      for (int i = 0; i < keys.size() && i < values.size(); i++) {
        json.writeFieldName(keys.get(i));
        write(Values.unwrap(values.get(i)));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }

  private void write(Object v) throws IOException {
    if (v instanceof String s) {
      if (s.isEmpty()) {
        json.writeNull();
      } else {
        json.writeString(s);
      }
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof BigDecimal n) {
      json.writeNumber(n);
    } else if (v instanceof Integer n) {
      json.writeNumber(n);
    } else if (v instanceof Long n) {
      json.writeNumber(n);
    } else if (v instanceof Number n) {
      json.writeNumber(n.doubleValue());
    } else if (v instanceof Instant || v instanceof LocalDate) {
      json.writeString(Values.text(v));
    } else if (v instanceof Collection<?> c) {
      json.writeStartArray();
      for (Object o : c) {
        json.writeString(Values.text(o));
      }
      json.writeEndArray();
    } else {
      json.writeString(v.toString());
    }
  }

  @Override
  public void close() {
    try {
      json.writeEndArray();
      json.flush();
      json.close();
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }
}
