/**
 * From a file's rows to the bulk engine's inputs: the layout of a template ({@link
 * dev.usermgmt.io.mapping.TableLayout}), e-mail column detection ({@link
 * dev.usermgmt.io.mapping.EmailColumns}), header to field suggestions the caller confirms ({@link
 * dev.usermgmt.io.mapping.ColumnMapping}), value parsers for spreadsheet cells ({@link
 * dev.usermgmt.io.mapping.ValueParsers}) and the adapters {@link
 * dev.usermgmt.io.mapping.DeactivationUpload}, {@link dev.usermgmt.io.mapping.UpdateUpload} and
 * {@link dev.usermgmt.io.mapping.ActionUpload}.
 */
@NullMarked
package dev.usermgmt.io.mapping;

import org.jspecify.annotations.NullMarked;
