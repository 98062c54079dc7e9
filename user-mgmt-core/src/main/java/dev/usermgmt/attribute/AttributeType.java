package dev.usermgmt.attribute;

/** The type of a custom attribute, as the reference's "Manage Custom Attributes" dialog offers. */
public enum AttributeType {
  /** Free text ("Text", stored as a string). */
  TEXT,
  /** A decimal number ("Number"). */
  NUMBER,
  /** A calendar date without time ("Date"). */
  DATE,
  /** Yes / No ("Yes / No", stored as a boolean). */
  BOOLEAN,
  /** Another user of the same tenant ("User reference"). */
  USER_REF
}
