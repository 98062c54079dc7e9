package dev.usermgmt.access;

/** Where an edit comes from; some fields are editable through one channel only. */
public enum EditChannel {
  /** The edit-user dialog (e-mail is read-only there). */
  FORM,
  /** An update file (e-mail may change when the match key is not e-mail). */
  FILE,
  /** Work of the library itself: lifecycle moves, invitations, undo restoring earlier values. */
  SYSTEM
}
