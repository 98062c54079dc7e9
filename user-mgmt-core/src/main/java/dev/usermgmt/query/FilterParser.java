package dev.usermgmt.query;

import dev.usermgmt.attribute.AttributeSchema;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses SCIM 2.0 filter strings (RFC 7644 §3.4.2.2): {@code eq ne co sw ew gt ge lt le pr}, {@code
 * and} binding tighter than {@code or}, {@code not (…)}, parentheses, value paths ({@code
 * emails[type eq "work"]}), and string, number, boolean and null literals. Operators and keywords
 * are case-insensitive. Errors say where and what was expected. A filter nests at most {@value
 * #MAX_DEPTH} parentheses deep and holds at most {@value #MAX_CONDITIONS} conditions, so that no
 * filter from a URL can exhaust the stack of the parser, the evaluator or the SQL translation.
 */
public final class FilterParser {
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** The deepest nesting of parentheses, {@code not (…)} and value paths a filter may have. */
  public static final int MAX_DEPTH = 32;

  /** The most conditions (comparisons and presence tests) a filter may hold. */
  public static final int MAX_CONDITIONS = 256;

  private final String text;
  private int depth;
  private int conditions;
  private int pos;
  private Token token;

  private enum Type {
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    STRING,
    NUMBER,
    WORD,
    EOF
  }

  private record Token(Type type, String text, int start) {}

  private FilterParser(String text) {
    this.text = text;
    this.token = new Token(Type.EOF, "", 0);
    advance();
  }

  /**
   * Parses the syntax only: any attribute names are accepted.
   *
   * @param text a filter string
   * @return the filter
   * @throws InvalidFilterException with the position and what was expected
   */
  public static Filter parseSyntax(String text) {
    FilterParser p = new FilterParser(text);
    Filter f = p.orExpression(false);
    if (p.token.type() != Type.EOF) {
      throw p.error("'and', 'or' or the end of the filter");
    }
    return f;
  }

  /**
   * Parses and checks a filter: every attribute must exist (standard or a custom attribute of the
   * schema), and every value must fit its attribute's type and operator.
   *
   * @param text a filter string
   * @param schema the tenant's custom attributes
   * @return the filter
   * @throws InvalidFilterException for syntax errors, unknown attributes and type mismatches
   */
  public static Filter parse(String text, AttributeSchema schema) {
    Filter f = parseSyntax(text);
    QueryAttributes.check(f, schema);
    return f;
  }

  // ------------------------------------------------------------------ grammar

  private Filter orExpression(boolean inValuePath) {
    Filter left = andExpression(inValuePath);
    while (keyword("or")) {
      advance();
      left = new Filter.Or(left, andExpression(inValuePath));
    }
    return left;
  }

  private Filter andExpression(boolean inValuePath) {
    Filter left = unary(inValuePath);
    while (keyword("and")) {
      advance();
      left = new Filter.And(left, unary(inValuePath));
    }
    return left;
  }

  private Filter unary(boolean inValuePath) {
    if (keyword("not")) {
      advance();
      expect(Type.LPAREN, "'(' after 'not'");
      Filter inner = nested(inValuePath);
      expect(Type.RPAREN, "')'");
      return new Filter.Not(inner);
    }
    if (token.type() == Type.LPAREN) {
      advance();
      Filter inner = nested(inValuePath);
      expect(Type.RPAREN, "')'");
      return inner;
    }
    return attributeExpression(inValuePath);
  }

  private Filter nested(boolean inValuePath) {
    if (++depth > MAX_DEPTH) {
      throw new InvalidFilterException(
          token.start(),
          "at most " + MAX_DEPTH + " levels of parentheses",
          "the filter nests deeper than " + MAX_DEPTH + " levels of parentheses");
    }
    Filter inner = orExpression(inValuePath);
    depth--;
    return inner;
  }

  private Filter attributeExpression(boolean inValuePath) {
    if (token.type() != Type.WORD || isReserved(token.text())) {
      throw error("an attribute name, 'not' or '('");
    }
    if (++conditions > MAX_CONDITIONS) {
      throw new InvalidFilterException(
          token.start(),
          "at most " + MAX_CONDITIONS + " conditions",
          "the filter holds more than " + MAX_CONDITIONS + " conditions");
    }
    String attribute = token.text();
    if (!isAttributePath(attribute)) {
      throw error("an attribute name");
    }
    advance();
    if (token.type() == Type.LBRACKET) {
      if (inValuePath) {
        throw error("a comparison operator (value paths do not nest)");
      }
      advance();
      Filter inner = orExpression(true);
      expect(Type.RBRACKET, "']'");
      return new Filter.ValuePath(attribute, inner);
    }
    if (token.type() != Type.WORD) {
      throw error("a comparison operator or 'pr'");
    }
    String op = token.text().toLowerCase(Locale.ROOT);
    if (op.equals("pr")) {
      advance();
      return new Filter.Present(attribute);
    }
    Filter.Op operator;
    try {
      operator = Filter.Op.valueOf(op.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error("a comparison operator (eq ne co sw ew gt ge lt le) or 'pr'");
    }
    advance();
    Filter.Literal value = literal();
    return new Filter.Compare(attribute, operator, value);
  }

  private Filter.Literal literal() {
    Token t = token;
    switch (t.type()) {
      case STRING -> {
        advance();
        return Filter.Literal.string(t.text());
      }
      case NUMBER -> {
        advance();
        return Filter.Literal.number(t.text());
      }
      case WORD -> {
        String w = t.text().toLowerCase(Locale.ROOT);
        if (w.equals("true") || w.equals("false")) {
          advance();
          return Filter.Literal.bool(w.equals("true"));
        }
        if (w.equals("null")) {
          advance();
          return new Filter.Literal(Filter.Literal.Kind.NULL, "null");
        }
        throw error("a value: a \"string\", a number, true, false or null");
      }
      default -> throw error("a value: a \"string\", a number, true, false or null");
    }
  }

  private static boolean isReserved(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    return w.equals("and") || w.equals("or") || w.equals("not");
  }

  private static boolean isAttributePath(String word) {
    char c = word.charAt(0);
    return Character.isLetter(c) || c == '$' || c == '_';
  }

  private boolean keyword(String k) {
    return token.type() == Type.WORD && token.text().equalsIgnoreCase(k);
  }

  private void expect(Type type, String what) {
    if (token.type() != type) {
      throw error(what);
    }
    advance();
  }

  private InvalidFilterException error(String expected) {
    String found =
        switch (token.type()) {
          case EOF -> "the end of the filter";
          case STRING -> "the string \"" + token.text() + "\"";
          default -> "'" + token.text() + "'";
        };
    return new InvalidFilterException(
        token.start(), expected, "expected " + expected + " but found " + found);
  }

  // ------------------------------------------------------------------ lexer

  private void advance() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= text.length()) {
      token = new Token(Type.EOF, "", pos);
      return;
    }
    char c = text.charAt(pos);
    switch (c) {
      case '(' -> single(Type.LPAREN, start);
      case ')' -> single(Type.RPAREN, start);
      case '[' -> single(Type.LBRACKET, start);
      case ']' -> single(Type.RBRACKET, start);
      case '"' -> token = new Token(Type.STRING, string(), start);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          int end = pos;
          while (end < text.length() && "+-.eE0123456789".indexOf(text.charAt(end)) >= 0) {
            end++;
          }
          String n = text.substring(pos, end);
          if (!NUMBER.matcher(n).matches()) {
            throw new InvalidFilterException(start, "a JSON number", "'" + n + "' is not a number");
          }
          pos = end;
          token = new Token(Type.NUMBER, n, start);
        } else if (isWordChar(c)) {
          int end = pos;
          while (end < text.length() && isWordChar(text.charAt(end))) {
            end++;
          }
          token = new Token(Type.WORD, text.substring(pos, end), start);
          pos = end;
        } else {
          throw new InvalidFilterException(
              start, "an attribute, an operator or a value", "unexpected character '" + c + "'");
        }
      }
    }
  }

  private void single(Type type, int start) {
    token = new Token(type, text.substring(start, start + 1), start);
    pos++;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-' || c == '.' || c == ':';
  }

  private String string() {
    int start = pos;
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (pos >= text.length()) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw new InvalidFilterException(
                  pos - 2, "four hex digits after \\u", "incomplete \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw new InvalidFilterException(
                  pos - 2, "four hex digits after \\u", "bad \\u escape");
            }
            pos += 4;
          }
          default ->
              throw new InvalidFilterException(
                  pos - 2, "a JSON escape", "bad escape '\\" + e + "'");
        }
      } else if (c < 0x20) {
        throw new InvalidFilterException(
            pos - 1, "a printable character or an escape", "control character in a string");
      } else {
        b.append(c);
      }
    }
    throw new InvalidFilterException(start, "a closing '\"'", "unterminated string");
  }

  /**
   * The attribute path without a schema URN prefix ({@code
   * urn:ietf:params:scim:schemas:core:2.0:User:userName} → {@code userName}).
   *
   * @param path an attribute path as written
   * @return the path without URN
   */
  static String stripUrn(String path) {
    if (path.regionMatches(true, 0, "urn:", 0, 4)) {
      int colon = path.lastIndexOf(':');
      return path.substring(colon + 1);
    }
    return path;
  }
}
