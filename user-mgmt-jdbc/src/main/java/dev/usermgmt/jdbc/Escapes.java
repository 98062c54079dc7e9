package dev.usermgmt.jdbc;

/** Escaping of values in the store's text documents: backslash, newline, CR, pipe. */
final class Escapes {
  /** Stands for "no value" in a pipe-separated record. */
  static final String ABSENT = "\\0";

  private Escapes() {}

  static String escape(String s) {
    if (firstSpecial(s) < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    escapeTo(b, s);
    return b.toString();
  }

  /** Appends a value escaped: at once when it has nothing to escape, as nearly every value. */
  static void escapeTo(StringBuilder b, String s) {
    int i = firstSpecial(s);
    if (i < 0) {
      b.append(s);
      return;
    }
    b.append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '|' -> b.append("\\p");
        default -> b.append(c);
      }
    }
  }

  /** The index of the first character to escape, or -1. */
  private static int firstSpecial(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '|' || c == '\n' || c == '\r') {
        return i;
      }
    }
    return -1;
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(
            switch (n) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 'p' -> '|';
              default -> n;
            });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
