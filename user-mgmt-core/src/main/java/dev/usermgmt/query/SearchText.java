package dev.usermgmt.query;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;
import com.google.common.collect.Sets;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Free-text search: the text a user is found by (name, e-mail, username, employee ID, job title),
 * folded case- and accent-insensitively, and the words of a search. A user matches when every word
 * occurs in its text. Stores may keep {@link #of(User)} in a column to search it.
 */
public final class SearchText {
  private SearchText() {}

  /**
   * The fields {@link #of(User)} is made of, and no other: a search looks in these (and may only
   * for who sees them all), and a store that keeps the text works it out again when one of them
   * changes.
   */
  public static final Set<UserField> FIELDS =
      Sets.immutableEnumSet(
          UserField.DISPLAY_NAME,
          UserField.FIRST_NAME,
          UserField.LAST_NAME,
          UserField.PRIMARY_EMAIL,
          UserField.USERNAME,
          UserField.EMPLOYEE_ID,
          UserField.JOB_TITLE);

  /**
   * The folded text a user is found by, fields separated by a space.
   *
   * @param u the user
   * @return the search text
   */
  public static String of(User u) {
    StringBuilder b = new StringBuilder(Texts.fold(u.displayName()));
    u.firstName().ifPresent(s -> b.append(' ').append(Texts.fold(s)));
    u.lastName().ifPresent(s -> b.append(' ').append(Texts.fold(s)));
    u.primaryEmail().map(EmailAddress::key).ifPresent(s -> b.append(' ').append(s));
    u.username().ifPresent(s -> b.append(' ').append(Texts.fold(s)));
    u.employeeId().ifPresent(s -> b.append(' ').append(Texts.fold(s)));
    u.jobTitle().ifPresent(s -> b.append(' ').append(Texts.fold(s)));
    return b.toString();
  }

  /**
   * The folded words of a search.
   *
   * @param search the search as typed
   * @return the words, none blank
   */
  public static List<String> words(String search) {
    List<String> out = new ArrayList<>();
    for (String w : Splitter.on(CharMatcher.whitespace()).split(Texts.fold(search))) {
      if (!w.isBlank()) {
        out.add(w);
      }
    }
    return out;
  }
}
