package dev.usermgmt.query;

/** Prints filters in canonical form: lower-case operators, minimal parentheses, JSON strings. */
final class FilterPrinter {
  private FilterPrinter() {}

  static String print(Filter f) {
    StringBuilder b = new StringBuilder();
    print(f, b, 0);
    return b.toString();
  }

  /** Precedence: or 1, and 2, not / atoms 3. */
  private static void print(Filter f, StringBuilder b, int context) {
    if (f instanceof Filter.Or o) {
      wrap(
          b,
          context > 1,
          () -> {
            print(o.left(), b, 1);
            b.append(" or ");
            print(o.right(), b, 2);
          });
    } else if (f instanceof Filter.And a) {
      wrap(
          b,
          context > 2,
          () -> {
            print(a.left(), b, 2);
            b.append(" and ");
            print(a.right(), b, 3);
          });
    } else if (f instanceof Filter.Not n) {
      b.append("not (");
      print(n.filter(), b, 0);
      b.append(')');
    } else if (f instanceof Filter.Compare c) {
      b.append(c.attribute())
          .append(' ')
          .append(c.op().text())
          .append(' ')
          .append(literal(c.value()));
    } else if (f instanceof Filter.Present p) {
      b.append(p.attribute()).append(" pr");
    } else if (f instanceof Filter.ValuePath v) {
      b.append(v.attribute()).append('[');
      print(v.filter(), b, 0);
      b.append(']');
    }
  }

  private static void wrap(StringBuilder b, boolean parens, Runnable body) {
    if (parens) {
      b.append('(');
    }
    body.run();
    if (parens) {
      b.append(')');
    }
  }

  static String literal(Filter.Literal l) {
    if (l.kind() != Filter.Literal.Kind.STRING) {
      return l.text();
    }
    StringBuilder b = new StringBuilder(l.text().length() + 2).append('"');
    for (int i = 0; i < l.text().length(); i++) {
      char c = l.text().charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
