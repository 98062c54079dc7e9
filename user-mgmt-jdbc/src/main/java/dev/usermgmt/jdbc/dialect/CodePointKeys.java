package dev.usermgmt.jdbc.dialect;

/**
 * An order-preserving form of text for a database that compares by UTF-16 code unit (H2): the code
 * units from U+E000 to U+FFFF move down by 0x800 and the surrogates (U+D800 to U+DFFF, the halves
 * of supplementary characters) up by 0x2000, so that comparing the encoded units compares the code
 * points of the original text (the fix-up ICU's code point order uses). Every unit below U+D800,
 * ASCII included, is unchanged; the length is unchanged; the mapping is one to one, so equality,
 * {@code LIKE} patterns (whose wildcards are ASCII) and order all carry over.
 */
final class CodePointKeys {
  private CodePointKeys() {}

  /** The encoded form of a text. */
  static String encode(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) < 0xD800) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    char[] out = s.toCharArray();
    for (; i < out.length; i++) {
      char c = out[i];
      if (c >= 0xE000) {
        out[i] = (char) (c - 0x800);
      } else if (c >= 0xD800) {
        out[i] = (char) (c + 0x2000);
      }
    }
    return new String(out);
  }
}
