/* paths.h: every path galley writes, as its reader resolves it. The
 * compiler runs in the project root and names files from there; galley's
 * own lines name them from the directory it was started in, and so must
 * the compiler's lines it passes on, or an editor's jump to them fails
 * from a subdirectory. GitHub reads annotation paths from the top of the
 * repository, and CI tools read JUnit reports the same way. */
#ifndef GALLEY_PATHS_H
#define GALLEY_PATHS_H

/* Returns a heap copy of the compiler output text in which the file that
 * starts a diagnostic line, named relative to root, is named relative to
 * cwd instead (root and cwd absolute, as galley__relative_path shows it):
 *
 *   FILE:LINE:COL: error: ...        FILE:LINE: ...
 *   FILE: In function 'f':           FILE: At top level:
 *   In file included from FILE:LINE,
 *                    from FILE:LINE:
 *
 * each possibly behind the colour escapes of -fdiagnostics-color. FILE is
 * the text from there up to a ':' that a digit, a space, an escape or the
 * end of the line follows; the first such text that names a regular file
 * below root (ROOT/FILE exists) is rewritten, and no other. An absolute
 * FILE stays as it is, and so does every other byte: a source excerpt, a
 * linker's line ("/usr/bin/ld: ..."), a name that is no file there. With
 * cwd the same as root the text is copied unchanged. */
char *galley__rebase_log(const char *text, const char *root, const char *cwd);

/* Returns the heap form of path shown (as galley shows files: relative to
 * the absolute directory cwd, or absolute) relative to the absolute
 * directory base; absolute when it lies outside base. With base NULL, a
 * copy of shown. */
char *galley__path_from(const char *shown, const char *cwd, const char *base);

#endif
