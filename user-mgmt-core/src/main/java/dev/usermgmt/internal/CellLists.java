package dev.usermgmt.internal;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.util.Collection;
import java.util.List;

/**
 * Lists typed into one cell of a file (modules, groups), as the bulk engine and the file mapping
 * both read them. Not API.
 */
public final class CellLists {
  private static final Splitter ITEMS =
      Splitter.on(CharMatcher.anyOf(",;\n\r")).trimResults().omitEmptyStrings();

  private CellLists() {}

  /**
   * The items of a cell: split on commas, semicolons and line breaks, trimmed, none blank.
   *
   * @param text the cell text
   * @return the items in order
   */
  public static List<String> items(String text) {
    return ITEMS.splitToList(text);
  }

  /**
   * The tenant's module a typed name means, ignoring case, spaces and punctuation.
   *
   * @param field the field, for the error
   * @param given the name as typed
   * @param modules the tenant's modules
   * @return the module's own name
   * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_MODULE} naming the modules
   */
  public static String module(String field, String given, Collection<String> modules) {
    String key = Texts.compactKey(given);
    for (String m : modules) {
      if (Texts.compactKey(m).equals(key)) {
        return m;
      }
    }
    throw new InvalidInputException(
        Problem.ofField(
            ErrorCode.UNKNOWN_MODULE,
            field,
            "unknown module '"
                + given
                + "'; the modules are "
                + modules.stream().sorted().toList()));
  }
}
