package dev.usermgmt.io.table;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * What a reader found out about its file.
 *
 * @param format the format, from the bytes
 * @param charset a CSV's encoding
 * @param delimiter a CSV's delimiter
 * @param sheet a workbook's sheet being read
 */
public record FileInfo(
    FileFormat format,
    Optional<Charset> charset,
    Optional<Character> delimiter,
    Optional<String> sheet) {}
