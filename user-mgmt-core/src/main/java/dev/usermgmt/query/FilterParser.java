package dev.usermgmt.query;

import dev.usermgmt.attribute.AttributeSchema;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses SCIM 2.0 filter strings (RFC 7644 §3.4.2.2): {@code eq ne co sw ew gt ge lt le pr}, {@code
 * and} binding tighter than {@code or}, {@code not (…)}, parentheses, value paths ({@code
 * emails[type eq "work"]}), and string, number, boolean and null literals. Operators and keywords
 * are case-insensitive. Errors say where and what was expected.
 *
 * <p>A filter over its {@link FilterLimits} (nesting, terms, literal length) is refused before it
 * is parsed. Number literals lie within the range of a double ({@code 1e-308} to {@code 1e308} in
 * magnitude, or zero); {@code \\u} takes exactly four hex digits.
 */
public final class FilterParser {
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** The largest decimal exponent of a number literal's magnitude, either way. */
  static final int MAX_EXPONENT = 308;

  private final String text;
  private final @Nullable AttributeSchema schema;
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

  private FilterParser(String text, FilterLimits limits, @Nullable AttributeSchema schema) {
    FilterBounds.check(text, limits);
    this.text = text;
    this.schema = schema;
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
    return parseSyntax(text, FilterLimits.defaults());
  }

  /**
   * Parses the syntax only, within limits: any attribute names are accepted.
   *
   * @param text a filter string
   * @param limits the limits
   * @return the filter
   * @throws InvalidFilterException with the position and what was expected
   */
  public static Filter parseSyntax(String text, FilterLimits limits) {
    return new FilterParser(text, limits, null).filter();
  }

  private Filter filter() {
    Filter f = orExpression(false);
    if (token.type() != Type.EOF) {
      throw error("'and', 'or' or the end of the filter");
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
    return parse(text, schema, FilterLimits.defaults());
  }

  /**
   * Parses and checks a filter within limits: every attribute must exist (standard or a custom
   * attribute of the schema), and every value must fit its attribute's type and operator. Every
   * problem is reported at its position.
   *
   * @param text a filter string
   * @param schema the tenant's custom attributes
   * @param limits the limits
   * @return the filter
   * @throws InvalidFilterException for syntax errors, filters over the limits, unknown attributes
   *     and type mismatches
   */
  public static Filter parse(String text, AttributeSchema schema, FilterLimits limits) {
    return new FilterParser(text, limits, schema).filter();
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
      Filter inner = orExpression(inValuePath);
      expect(Type.RPAREN, "')'");
      return new Filter.Not(inner);
    }
    if (token.type() == Type.LPAREN) {
      advance();
      Filter inner = orExpression(inValuePath);
      expect(Type.RPAREN, "')'");
      return inner;
    }
    return attributeExpression(inValuePath);
  }

  private Filter attributeExpression(boolean inValuePath) {
    if (token.type() != Type.WORD || isReserved(token.text())) {
      throw error("an attribute name, 'not' or '('");
    }
    String attribute = token.text();
    int at = token.start();
    if (!isAttributePath(attribute)) {
      throw error("an attribute name");
    }
    advance();
    if (token.type() == Type.LBRACKET) {
      if (inValuePath) {
        throw error("a comparison operator (value paths do not nest)");
      }
      if (schema != null) {
        try {
          QueryAttributes.requireContactPath(attribute);
        } catch (InvalidFilterException e) {
          throw e.at(at);
        }
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
      if (schema != null) {
        resolve(attribute, at, inValuePath);
      }
      advance();
      return new Filter.Present(attribute);
    }
    Filter.Op operator;
    try {
      operator = Filter.Op.valueOf(op.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error("a comparison operator (eq ne co sw ew gt ge lt le) or 'pr'");
    }
    int opAt = token.start();
    advance();
    int valueAt = token.start();
    Filter.Literal value = literal();
    if (schema != null) {
      QueryAttribute a = resolve(attribute, at, inValuePath);
      if (!a.allows(operator)) {
        throw new InvalidFilterException(
            opAt,
            "an operator that applies to " + a.type(),
            "'" + operator.text() + "' does not apply to " + a.name());
      }
      try {
        QueryAttributes.coerce(a, operator, value);
      } catch (InvalidFilterException e) {
        throw e.at(valueAt);
      }
    }
    return new Filter.Compare(attribute, operator, value);
  }

  private QueryAttribute resolve(String attribute, int at, boolean inValuePath) {
    try {
      return inValuePath
          ? QueryAttributes.subAttribute(attribute)
          : QueryAttributes.require(attribute, java.util.Objects.requireNonNull(schema));
    } catch (InvalidFilterException e) {
      throw e.at(at);
    }
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
          if (!inRange(n)) {
            throw new InvalidFilterException(
                start,
                "a number between 1e-" + MAX_EXPONENT + " and 1e" + MAX_EXPONENT + " in magnitude",
                "'" + n + "' is out of range");
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
            int code = 0;
            for (int k = pos; k < pos + 4; k++) {
              int digit = hexDigit(text.charAt(k));
              if (digit < 0) {
                throw new InvalidFilterException(
                    pos - 2, "four hex digits after \\u", "bad \\u escape");
              }
              code = code * 16 + digit;
            }
            b.append((char) code);
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

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether a JSON number is zero or between 1e-308 and 1e308 in magnitude (exactly). */
  static boolean inRange(String number) {
    BigDecimal d;
    try {
      d = new BigDecimal(number);
    } catch (NumberFormatException | ArithmeticException e) {
      return false; // an exponent beyond an int
    }
    if (d.signum() == 0) {
      return true;
    }
    long magnitude = (long) d.precision() - d.scale() - 1; // the exponent of the leading digit
    return magnitude >= -MAX_EXPONENT && magnitude < MAX_EXPONENT;
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
