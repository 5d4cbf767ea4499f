/**
 * Decision D9 (the spec's exchange-formats.md): the names a file may have on
 * the server, whichever door it comes through (an upload, a fault set on a
 * file, a page's link).
 */
export const FILE_NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

/** The longest name FILE_NAME_RULE lets through. */
export const FILE_NAME_MAX_LENGTH = 100

/**
 * A name as a département's names are kept apart: ASCII letters in lower
 * case (D9 names are ASCII). Two names equal under it would be one file on a
 * disk that ignores case (macOS APFS, Windows NTFS), so a département never
 * holds both.
 */
export function fileNameKey (name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}
