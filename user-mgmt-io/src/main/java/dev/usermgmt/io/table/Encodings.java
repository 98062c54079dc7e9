package dev.usermgmt.io.table;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises a text file's encoding as spreadsheet programs save it: a byte-order mark (UTF-8,
 * UTF-16 LE as Excel's "Unicode text", UTF-16 BE), UTF-16 without a mark from its zero bytes, UTF-8
 * when every byte sequence of the whole file is valid UTF-8 (RFC 3629 §3), else Windows-1252, which
 * Excel uses for "CSV" on western systems.
 */
final class Encodings {
  static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Encodings() {}

  /**
   * A detected encoding, the length of its byte-order mark, and whether the whole file was checked
   * to be well-formed UTF-8.
   */
  record Detected(Charset charset, int bomLength, boolean checkedUtf8) {
    Detected(Charset charset, int bomLength) {
      this(charset, bomLength, false);
    }
  }

  static Detected detect(Path file, byte[] head) throws IOException {
    if (head.length >= 3
        && (head[0] & 0xFF) == 0xEF
        && (head[1] & 0xFF) == 0xBB
        && (head[2] & 0xFF) == 0xBF) {
      return new Detected(StandardCharsets.UTF_8, 3);
    }
    if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
      return new Detected(StandardCharsets.UTF_16LE, 2);
    }
    if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
      return new Detected(StandardCharsets.UTF_16BE, 2);
    }
    int utf16 = utf16Side(head);
    if (utf16 > 0) {
      return new Detected(StandardCharsets.UTF_16LE, 0);
    }
    if (utf16 < 0) {
      return new Detected(StandardCharsets.UTF_16BE, 0);
    }
    return isUtf8(file)
        ? new Detected(StandardCharsets.UTF_8, 0, true)
        : new Detected(WINDOWS_1252, 0);
  }

  /**
   * Whether the bytes look like UTF-16 without a mark: most zero bytes on one side of each pair
   * (ASCII text in UTF-16). Positive for little endian, negative for big endian, zero for neither.
   */
  private static int utf16Side(byte[] head) {
    int n = head.length & ~1;
    if (n < 4) {
      return 0;
    }
    int evenZeros = 0;
    int oddZeros = 0;
    for (int i = 0; i < n; i += 2) {
      if (head[i] == 0) {
        evenZeros++;
      }
      if (head[i + 1] == 0) {
        oddZeros++;
      }
    }
    int pairs = n / 2;
    if (oddZeros * 10 >= pairs * 7 && evenZeros * 10 < pairs) {
      return 1;
    }
    if (evenZeros * 10 >= pairs * 7 && oddZeros * 10 < pairs) {
      return -1;
    }
    return 0;
  }

  /** Whether the sniffed bytes can be text: UTF-16, or few control characters and no NUL. */
  static boolean looksLikeText(byte[] head) {
    if (head.length >= 2
        && (((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)
            || ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF))) {
      return true;
    }
    if (utf16Side(head) != 0) {
      return true;
    }
    int control = 0;
    for (byte b : head) {
      int c = b & 0xFF;
      if (c == 0) {
        return false;
      }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x0C) {
        control++;
      }
    }
    return control * 100 <= head.length;
  }

  /** Whether the whole file is well-formed UTF-8 (shortest forms, no surrogates). */
  static boolean isUtf8(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int pending = 0; // continuation bytes still expected
      int min = 0; // lower bound of the code point (overlong check)
      int cp = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (pending == 0) {
            // ASCII eight bytes at a time: no byte has its top bit set
            while (i + 8 <= n && ((long) LONGS.get(buf, i) & 0x8080808080808080L) == 0) {
              i += 8;
            }
            if (i == n) {
              break;
            }
          }
          int b = buf[i] & 0xFF;
          if (pending == 0) {
            if (b < 0x80) {
              continue;
            }
            if (b >= 0xC2 && b <= 0xDF) {
              pending = 1;
              cp = b & 0x1F;
              min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
              pending = 2;
              cp = b & 0x0F;
              min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
              pending = 3;
              cp = b & 0x07;
              min = 0x10000;
            } else {
              return false;
            }
          } else {
            if ((b & 0xC0) != 0x80) {
              return false;
            }
            cp = (cp << 6) | (b & 0x3F);
            if (--pending == 0 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) {
              return false;
            }
          }
        }
      }
      return pending == 0;
    }
  }
}
