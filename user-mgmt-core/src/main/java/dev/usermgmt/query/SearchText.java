package dev.usermgmt.query;

import com.google.common.base.CharMatcher;
import com.google.common.base.Splitter;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.List;

/**
 * Free-text search: the text a user is found by (name, e-mail, username, employee ID, job title),
 * folded case- and accent-insensitively, and the words of a search. A user matches when every word
 * occurs in its text. Stores may keep {@link #of(User)} in a column to search it.
 */
public final class SearchText {
  private SearchText() {}

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
