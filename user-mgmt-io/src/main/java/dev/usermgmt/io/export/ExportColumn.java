package dev.usermgmt.io.export;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The columns of the Employees table that an export can include, each with the file columns it
 * writes. The User column expands as the reference's "Export" says: displayName, primaryEmail,
 * employeeId, department, jobTitle, inactive, location, hireDate, managerDisplayName,
 * managerPrimaryEmail, managers. A file column written by two table columns appears once.
 */
public enum ExportColumn {
  /** Avatar, name and e-mail in the table; expanded in files. */
  USER(
      true,
      "displayName",
      "primaryEmail",
      "employeeId",
      "department",
      "jobTitle",
      "inactive",
      "location",
      "hireDate",
      "managerDisplayName",
      "managerPrimaryEmail",
      "managers"),
  /** The reporting line. */
  DIRECT_MANAGER(true, "managerDisplayName", "managerPrimaryEmail"),
  /** The role. */
  PERMISSION(true, "role"),
  /** Most recent sign-in or action. */
  LAST_ACTIVITY(true, "lastActivityAt"),
  /** Count of skills. */
  SKILLS(true, "skillsCount"),
  /** Active, inactive, invited… */
  USER_STATUS(true, "status"),
  /** The manager hierarchy, nearest first. */
  MANAGERS(false, "managers"),
  /** Group memberships. */
  GROUPS(false, "groups"),
  /** Org unit. */
  DEPARTMENT(false, "department"),
  /** Company or sub-organisation. */
  COMPANY(false, "company"),
  /** Position (legacy table). */
  POSITION(false, "position"),
  /** Job title (legacy table). */
  JOB_TITLE(false, "jobTitle"),
  /** Employee ID (legacy table). */
  EMPLOYEE_ID(false, "employeeId"),
  /** Location (legacy table). */
  LOCATION(false, "location"),
  /** User type (legacy table). */
  USER_TYPE(false, "userType"),
  /** Hire date (legacy table). */
  HIRE_DATE(false, "hireDate"),
  /** Deactivation date (legacy table). */
  DEACTIVATION_DATE(false, "deactivatedAt"),
  /** Phone number (legacy table). */
  PHONE_NUMBER(false, "phoneNumber");

  private final boolean visibleByDefault;
  private final ImmutableList<String> headers;

  ExportColumn(boolean visibleByDefault, String... headers) {
    this.visibleByDefault = visibleByDefault;
    this.headers = ImmutableList.copyOf(headers);
  }

  /**
   * Whether the table shows the column until the person hides it.
   *
   * @return whether visible by default
   */
  public boolean visibleByDefault() {
    return visibleByDefault;
  }

  /**
   * The file columns it writes.
   *
   * @return the header names
   */
  public List<String> headers() {
    return headers;
  }
}
