package dev.usermgmt.jdbc;

/** Escaping of values in the store's text documents: backslash, newline, CR, pipe. */
final class Escapes {
  /** Stands for "no value" in a pipe-separated record. */
  static final String ABSENT = "\\0";

  private Escapes() {}

  static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r =
          switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '|' -> "\\p";
            default -> null;
          };
      if (r != null && b == null) {
        b = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (b != null) {
        if (r != null) {
          b.append(r);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
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
