package dev.usermgmt.query;

/**
 * The check of a filter's text against {@link FilterLimits}, made in one loop over the characters
 * before the parser (which recurses per nesting level) sees it: the whole length, nesting of
 * parentheses and brackets, the number of terms ({@code and} and {@code or} plus one), and the
 * length of every string literal and of every other word (numbers, attribute names). Its cost is
 * linear in the text's length, whatever the text.
 */
final class FilterBounds {
  private FilterBounds() {}

  static void check(String text, FilterLimits limits) {
    if (text.length() > limits.maxLength()) {
      throw tooLong(limits);
    }
    int depth = 0;
    int terms = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"') {
        int start = i++;
        while (i < n && text.charAt(i) != '"') {
          i += text.charAt(i) == '\\' ? 2 : 1;
          if (i - start - 1 > limits.maxLiteralLength()) {
            throw new InvalidFilterException(
                start,
                "a string of at most " + limits.maxLiteralLength() + " characters",
                "the string is longer than " + limits.maxLiteralLength() + " characters");
          }
        }
        i++;
      } else if (c == '(' || c == '[') {
        if (++depth > limits.maxDepth()) {
          throw new InvalidFilterException(
              i,
              "at most " + limits.maxDepth() + " levels of nesting",
              "the filter nests deeper than " + limits.maxDepth() + " levels");
        }
        i++;
      } else if (c == ')' || c == ']') {
        depth = Math.max(0, depth - 1);
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        int start = i;
        while (i < n && !boundary(text.charAt(i)) && i - start <= limits.maxLiteralLength()) {
          i++;
        }
        if (i - start > limits.maxLiteralLength()) {
          throw new InvalidFilterException(
              start,
              "a word of at most " + limits.maxLiteralLength() + " characters",
              "a name or number is longer than " + limits.maxLiteralLength() + " characters");
        }
        if (isConnective(text, start, i) && ++terms > limits.maxTerms()) {
          throw new InvalidFilterException(
              start,
              "at most " + limits.maxTerms() + " terms",
              "the filter has more than " + limits.maxTerms() + " terms");
        }
      }
    }
  }

  /** A filter longer than its limit, refused at the first position past it. */
  static InvalidFilterException tooLong(FilterLimits limits) {
    return new InvalidFilterException(
        limits.maxLength(),
        "a filter of at most " + limits.maxLength() + " characters",
        "the filter is longer than " + limits.maxLength() + " characters");
  }

  private static boolean boundary(char c) {
    return c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || Character.isWhitespace(c);
  }

  private static boolean isConnective(String text, int start, int end) {
    int len = end - start;
    return (len == 3 && text.regionMatches(true, start, "and", 0, 3))
        || (len == 2 && text.regionMatches(true, start, "or", 0, 2));
  }
}
