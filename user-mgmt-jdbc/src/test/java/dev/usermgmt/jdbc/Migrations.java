package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The library's migrations of a dialect, in version order. */
final class Migrations {
  private static final Pattern NAME = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

  private Migrations() {}

  /**
   * One migration file.
   *
   * @param version Flyway's version text ({@code 1}, {@code 4.1})
   * @param file the file name
   * @param sql the file's text
   */
  record Migration(String version, String file, String sql) {
    int[] parts() {
      return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }
  }

  /**
   * The dialect's migrations, read from the module's sources (the tests run in the module's
   * folder): a migration deleted there may linger in target/classes until the next clean.
   */
  static List<Migration> of(Dialect d) {
    Path folder =
        Path.of("src/main/resources", d.migrationLocation().substring("classpath:".length()));
    List<Migration> migrations = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
          throw new IllegalStateException("not a migration: " + p);
        }
        migrations.add(
            new Migration(
                m.group(1).replace('_', '.'), name, Files.readString(p, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    migrations.sort(Comparator.comparing(Migration::parts, Arrays::compare));
    return migrations;
  }

  /** The versions of the dialect's migrations, in order. */
  static List<String> versions(Dialect d) {
    return of(d).stream().map(Migration::version).toList();
  }
}
