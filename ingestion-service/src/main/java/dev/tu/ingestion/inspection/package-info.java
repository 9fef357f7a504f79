/**
 * Upload hardening: what the bytes really are (magic bytes, not the client's word), whether they are
 * whole, how big the picture is (read from the header, so a decompression bomb is refused before a
 * pixel is decoded), what EXIF says, and whether the file name is safe to keep.
 */
package dev.tu.ingestion.inspection;
