package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The library's migrations of a dialect, in version order, as the build ships them. */
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

  /** The dialect's migrations, read from the class path's copy of the resources. */
  static List<Migration> of(Dialect d) {
    String folder = d.migrationLocation().substring("classpath:".length());
    URL url =
        Objects.requireNonNull(
            Migrations.class.getClassLoader().getResource(folder), "no migrations at " + folder);
    List<Migration> migrations = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
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
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    migrations.sort(Comparator.comparing(Migration::parts, Arrays::compare));
    return migrations;
  }

  /** The versions of the dialect's migrations, in order. */
  static List<String> versions(Dialect d) {
    return of(d).stream().map(Migration::version).toList();
  }
}
