package dev.usermgmt.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class FilterParserTest {
  static final AttributeSchema SCHEMA =
      AttributeSchema.of(
          List.of(
              AttributeDefinition.builder()
                  .key("level")
                  .label("Level")
                  .type(AttributeType.NUMBER)
                  .build(),
              AttributeDefinition.builder()
                  .key("ready")
                  .label("Ready")
                  .type(AttributeType.BOOLEAN)
                  .build()));

  /** The filter examples of RFC 7644 §3.4.2.2 that name user attributes. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "userName eq \"bjensen\"",
        "name.familyName co \"O'Malley\"",
        "userName sw \"J\"",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
        "title pr",
        "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
        "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
        "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
        "meta.lastModified le \"2011-05-13T04:42:34Z\"",
        "title pr and userType eq \"Employee\"",
        "title pr or userType eq \"Intern\"",
        "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co"
            + " \"example.org\")",
        "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co"
            + " \"example.org\")",
        "userType eq \"Employee\" and (emails.type eq \"work\")",
        "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
        "emails[type eq \"work\" and value co \"@example.com\"] or phoneNumbers[type eq \"work\""
            + " and value sw \"+44\"]",
        // and the Employees table's own columns
        "department eq \"Sales\" and lastActivity ge \"2026-01-01\"",
        "permission ge 5 or role eq \"Manager-Instructor\"",
        "status eq \"inactive\" and deactivationDate lt \"2026-06-01T00:00:00Z\"",
        "managers eq \"emp-00001\" and not (groups eq \"g1\")",
        "modules eq \"LMS\" and skills gt 3 and hireDate le \"2020-12-31\"",
        "attributes.level ge 2.5 and attributes.ready eq true and neverLoggedIn eq false",
        "manager eq null or company pr"
      })
  void parsesAndChecks(String filter) {
    Filter f = FilterParser.parse(filter, SCHEMA);
    assertThat(FilterParser.parse(f.toString(), SCHEMA)).isEqualTo(f);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
        "userType eq \"Employee\" and (emails.type eq \"work\")",
        "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value"
            + " co \"@foo.com\"]"
      })
  void everyRfcExampleIsValidSyntax(String filter) {
    assertThat(FilterParser.parseSyntax(filter).toString()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} → position {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "userName eq                         | 11 | a value",
        "userName                            | 8  | comparison operator",
        "userName eqq \"x\"                  | 9  | comparison operator",
        "userName eq \"x\" and               | 19 | attribute name",
        "(userName eq \"x\"                  | 16 | ')'",
        "userName eq \"x\")                  | 15 | 'and', 'or' or the end",
        "not userName eq \"x\"               | 4  | '(' after 'not'",
        "userName eq \"unterminated          | 12 | closing",
        "userName eq bjensen                 | 12 | a value",
        "emails[type eq \"work\"             | 21 | ']'",
        "userName eq 01                      | 12 | JSON number",
        "and eq \"x\"                        | 0  | attribute name",
        "userName eq \"a\" # \"b\"           | 16 | unexpected character",
        "emails[value[type eq \"x\"]]        | 12 | value paths do not nest"
      })
  void rejectsMalformedFiltersAtTheRightPosition(String filter, int position, String expected) {
    assertThatThrownBy(() -> FilterParser.parseSyntax(filter.strip()))
        .isInstanceOf(InvalidFilterException.class)
        .satisfies(
            e -> {
              InvalidFilterException ex = (InvalidFilterException) e;
              assertThat(ex.position()).isEqualTo(position);
              assertThat(ex.getMessage()).contains("at position " + position).contains(expected);
              assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_FILTER);
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "nickName eq \"x\"              | 0 | unknown attribute 'nickName'",
        "attributes.salary gt 3         | 0 | unknown attribute 'attributes.salary'",
        "skills eq \"three\"            | 10 | skillsCount is NUMBER",
        "hireDate gt \"yesterday\"      | 12 | a date",
        "status gt \"active\"           | 7 | 'gt' does not apply to status",
        "status eq \"sleeping\"         | 10 | a status word",
        "modules gt \"A\"               | 8 | 'gt' does not apply to modules",
        "attributes.ready eq \"yes\"    | 20 | BOOLEAN",
        "department co 3                | 14 | a \"string\"",
        "title gt null                  | 9 | null is compared with eq or ne only",
        "groups[value eq \"x\"]         | 0 | has no sub-attributes",
        "emails[kind eq \"work\"]       | 7 | unknown sub-attribute 'kind'"
      })
  void unknownAttributesAndTypeMismatchesAreErrorsNotEmptyResults(
      String filter, int position, String message) {
    assertThatThrownBy(() -> FilterParser.parse(filter.strip(), SCHEMA))
        .isInstanceOf(InvalidFilterException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("at position " + position)
        .satisfies(e -> assertThat(((InvalidFilterException) e).position()).isEqualTo(position));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a eq \"x\" or b eq \"y\" and c eq \"z\"       | a eq \"x\" or b eq \"y\" and c eq \"z\"",
        "(a eq \"x\" or b eq \"y\") and c eq \"z\"     | (a eq \"x\" or b eq \"y\") and c eq \"z\"",
        "A EQ \"x\" AND NOT (b PR)                     | A eq \"x\" and not (b pr)",
        "((a eq 1))                                    | a eq 1",
        "a eq \"q\\\"uote\\\\\"                         | a eq \"q\\\"uote\\\\\"",
        "a eq \"\\u00e9\\n\"                           | a eq \"é\\n\""
      })
  void printsCanonicalText(String in, String out) {
    assertThat(FilterParser.parseSyntax(in.strip()).toString()).isEqualTo(out.strip());
  }

  /** A filter from a URL cannot exhaust the stack: deep nesting and huge chains are refused. */
  @org.junit.jupiter.api.Test
  void deepOrHugeFiltersAreInvalidFiltersNotStackOverflows() {
    String deep = "(".repeat(10_000) + "department eq \"x\"" + ")".repeat(10_000);
    String deepNot = "not (".repeat(5_000) + "department pr" + ")".repeat(5_000);
    String chain = String.join(" and ", java.util.Collections.nCopies(10_000, "department pr"));
    for (String f : List.of(deep, deepNot, chain)) {
      assertThatThrownBy(() -> FilterParser.parse(f, SCHEMA))
          .isInstanceOfSatisfying(
              InvalidFilterException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
    }
    String atTheLimit =
        "(".repeat((FilterLimits.defaults().maxDepth() - 1))
            + "department pr"
            + ")".repeat((FilterLimits.defaults().maxDepth() - 1));
    assertThat(FilterParser.parse(atTheLimit, SCHEMA)).isNotNull();
  }
}
