package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.io.table.HeaderRow;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.user.EmailAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The columns of a file that look like e-mail addresses (the reference's "Pick the email column"
 * step): each column scored by the share of its non-blank cells that are valid addresses. A column
 * is a candidate when at least half its cells are. One candidate is chosen without asking; with
 * several the caller picks.
 *
 * @param candidates the candidate columns, best first
 */
public record EmailColumns(List<Candidate> candidates) {
  /** The least share of valid addresses that makes a column a candidate. */
  public static final double THRESHOLD = 0.5;

  /** Copies the list. */
  public EmailColumns {
    candidates = List.copyOf(candidates);
  }

  /**
   * A candidate column.
   *
   * @param index the 0-based column index
   * @param header the column's header
   * @param valid how many cells are valid addresses
   * @param nonBlank how many cells are not blank
   */
  public record Candidate(int index, String header, int valid, int nonBlank) {
    /**
     * The share of valid addresses among non-blank cells.
     *
     * @return a number from 0 to 1
     */
    public double share() {
      return nonBlank == 0 ? 0 : (double) valid / nonBlank;
    }
  }

  /**
   * Scores every column of the rows.
   *
   * @param header the header
   * @param rows the data rows (or a sample of them)
   * @return the candidates
   */
  public static EmailColumns detect(HeaderRow header, List<TableRow> rows) {
    int width = header.names().size();
    for (TableRow r : rows) {
      width = Math.max(width, r.width());
    }
    int[] valid = new int[width];
    int[] nonBlank = new int[width];
    for (TableRow r : rows) {
      for (int c = 0; c < r.width(); c++) {
        String t = r.text(c);
        if (!t.isBlank()) {
          nonBlank[c]++;
          if (EmailAddress.tryParse(t).isPresent()) {
            valid[c]++;
          }
        }
      }
    }
    List<Candidate> out = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      String name = c < header.names().size() ? header.names().get(c) : "";
      Candidate k = new Candidate(c, name, valid[c], nonBlank[c]);
      if (valid[c] > 0 && k.share() >= THRESHOLD) {
        out.add(k);
      }
    }
    out.sort(
        Comparator.comparingDouble(Candidate::share).reversed().thenComparing(Candidate::index));
    return new EmailColumns(out);
  }

  /**
   * The column to use without asking: the only candidate.
   *
   * @return the column, or empty when there are none or several
   */
  public Optional<Candidate> chosen() {
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /**
   * The only candidate, or an error the caller shows to have a column picked.
   *
   * @return the column
   * @throws EmailColumnChoiceException {@code choose_email_column} with the candidates as data
   * @throws InvalidInputException {@code missing_field} when no column holds addresses
   */
  public Candidate require() {
    if (candidates.isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.MISSING_FIELD, "email", "no column of the file holds e-mail addresses"));
    }
    if (candidates.size() > 1) {
      throw new EmailColumnChoiceException(this);
    }
    return candidates.get(0);
  }
}
