package dev.usermgmt.query;

import java.util.ArrayDeque;
import java.util.Deque;
import org.immutables.value.Value;

/**
 * How large a filter may be: its nesting depth, its number of terms, the length of each literal and
 * its whole length. A filter over a limit is refused as {@code invalid_filter} with the position
 * where it went over, before anything recursive looks at it, so that no filter can exhaust a
 * request thread's stack or a store's own parser. The defaults are well below the smallest limit of
 * the supported stores (H2 parses about 400 chained terms) and far above what a users table's
 * filter needs.
 *
 * <p>Configured on the directory ({@code UserDirectory.builder().filterLimits(…)}), which applies
 * them to every query it runs, parsed or built by the host; give the same limits to {@link
 * UserQuery#parse(String, dev.usermgmt.attribute.AttributeSchema, FilterLimits)} to have a query
 * string refused with the position of the excess.
 */
@Value.Immutable
public abstract class FilterLimits {
  FilterLimits() {}

  /**
   * How deeply parentheses, {@code not (…)} and value paths may nest. Default 16.
   *
   * @return the depth
   */
  @Value.Default
  public int maxDepth() {
    return 16;
  }

  /**
   * How many comparisons and presence tests a filter may hold. Default 100.
   *
   * @return the number of terms
   */
  @Value.Default
  public int maxTerms() {
    return 100;
  }

  /**
   * How many characters one literal (a string, a number) or attribute name may have. Default 2,000.
   *
   * @return the length
   */
  @Value.Default
  public int maxLiteralLength() {
    return 2_000;
  }

  /**
   * How many characters the whole filter may have. Default 100,000.
   *
   * @return the length
   */
  @Value.Default
  public int maxLength() {
    return 100_000;
  }

  @Value.Check
  void check() {
    if (maxDepth() < 1 || maxTerms() < 1 || maxLiteralLength() < 1 || maxLength() < 1) {
      throw new IllegalArgumentException("filter limits are at least 1: " + this);
    }
  }

  /**
   * The defaults: depth 16, 100 terms, literals of 2,000 characters, 100,000 characters in all.
   *
   * @return the defaults
   */
  public static FilterLimits defaults() {
    return builder().build();
  }

  /**
   * Checks a filter built in code against the limits, without recursion. A filter the parser
   * accepted under the same limits always passes: its tree is at most {@link #maxTerms()} leaves
   * and {@link #maxTerms()} plus twice {@link #maxDepth()} levels high.
   *
   * @param filter the filter
   * @throws InvalidFilterException at position 0 naming the limit exceeded
   */
  public void check(Filter filter) {
    int maxHeight = maxTerms() + 2 * maxDepth();
    Deque<Filter> nodes = new ArrayDeque<>();
    Deque<Integer> heights = new ArrayDeque<>();
    nodes.push(filter);
    heights.push(1);
    int terms = 0;
    while (!nodes.isEmpty()) {
      Filter f = nodes.pop();
      int h = heights.pop();
      if (h > maxHeight) {
        throw over("a filter at most " + maxHeight + " levels deep");
      }
      if (f instanceof Filter.And a) {
        push(nodes, heights, h, a.left(), a.right());
      } else if (f instanceof Filter.Or o) {
        push(nodes, heights, h, o.left(), o.right());
      } else if (f instanceof Filter.Not n) {
        push(nodes, heights, h, n.filter());
      } else if (f instanceof Filter.ValuePath v) {
        name(v.attribute());
        push(nodes, heights, h, v.filter());
      } else {
        if (++terms > maxTerms()) {
          throw over("a filter of at most " + maxTerms() + " terms");
        }
        if (f instanceof Filter.Compare c) {
          name(c.attribute());
          if (c.value().text().length() > maxLiteralLength()) {
            throw over("a value of at most " + maxLiteralLength() + " characters");
          }
        } else {
          name(((Filter.Present) f).attribute());
        }
      }
    }
  }

  private void name(String attribute) {
    if (attribute.length() > maxLiteralLength()) {
      throw over("an attribute name of at most " + maxLiteralLength() + " characters");
    }
  }

  private static void push(Deque<Filter> nodes, Deque<Integer> heights, int h, Filter... kids) {
    for (Filter k : kids) {
      nodes.push(k);
      heights.push(h + 1);
    }
  }

  private static InvalidFilterException over(String expected) {
    return new InvalidFilterException(0, expected, "the filter is too large");
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link FilterLimits}. */
  public static final class Builder extends ImmutableFilterLimits.Builder {
    Builder() {}
  }
}
