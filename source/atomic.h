/* atomic.h: files written whole or not at all. A new version is written
 * to a temporary file beside the old one (unnamed while it is written,
 * where the file system can), then renamed over it. A source file is
 * replaced only if it is still the text a run saw, checked at the last
 * moment, so that an editor's save racing galley is never lost. A
 * temporary left by a galley killed in between is named for its process
 * (FILE.galley-tmp.PID.XXXXXX) and removed by a later galley once that
 * process is gone. */
#ifndef GALLEY_ATOMIC_H
#define GALLEY_ATOMIC_H

#include <stddef.h>

/* Writes data to path atomically: a temporary file beside it, fsync,
 * rename. mode is applied to the new file (pass -1 to keep the existing
 * file's mode, or 0644 when it does not exist). Returns 0 or -errno; on
 * failure the old file is untouched and no temporary file is left. */
int galley__write_file_atomic(const char *path, const void *data, size_t len,
                              int mode);
/* The same, with the fsync only when durable: files under _galley/ are
 * caches that a run rewrites, so they skip it. */
int galley__write_file_replace(const char *path, const void *data, size_t len,
                               int mode, int durable);

/* What galley__replace_source returns when the file changed: it is left as
 * it is. */
#define GALLEY__CHANGED 1

/* Replaces the source file at path with data[0..len), durably and keeping
 * its mode, only if its content still hashes (galley__hash) to seen and no
 * process has it open for writing. The check is made once the new version
 * is on disk, just before it takes the old one's place, under a read
 * lease (fcntl F_SETLEASE) that holds up any process opening the file to
 * write it; the swap itself is an exchange of the two names (renameat2
 * RENAME_EXCHANGE), after which the old file is checked again and swapped
 * back if it changed or a writer opened it in between, so that an editor
 * saving in place or by rename never loses its save. Returns 0,
 * GALLEY__CHANGED (nothing written, or the change undone), or -errno. */
int galley__replace_source(const char *path, const void *data, size_t len,
                           const char seen[41]);

/* Removes from directory dir the temporaries (FILE.galley-tmp.PID.*) of
 * galley processes that are gone. */
void galley__clean_temps(const char *dir);

#endif
