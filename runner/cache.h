/* cache.h: the result cache. Each test's results, as its program wrote
 * them, are kept under _galley/cache/ in a pack per program, named by a
 * digest of everything that can change them: the program's bytes (which
 * hold every source, header, flag and library that reached it), the code
 * under test's shared library, the time and output limits, the values of
 * the environment variables galley.conf lists (env) and the contents of
 * the files it declares (inputs). A test's own .inputs are checked per
 * test. The runner still judges cached results against the sources as
 * they are now, so reports, diffs, .corrected files and promote state come
 * out exactly as from a fresh run; tolerances and filters, which the
 * runner applies, take effect without a rerun.
 *
 * Never cached: a test that timed out, had its output cut at the limit,
 * did not finish (its program died) or has .no_cache. A pack carries a
 * checksum: one that does not match, or that cannot be read, is ignored.
 * Packs are written whole and renamed into place, so two runs can share
 * the cache; the cache is held under galley.conf's cache_size by removing
 * the packs least recently used. */
#ifndef GALLEY_CACHE_H
#define GALLEY_CACHE_H

#include <stddef.h>

#include "config.h"

/* A digest in hex (SHA-1, 40 digits, as galley__hash writes it) and its
 * NUL. */
#define GALLEY__DIGEST_LEN 41

/* One test's entry in a pack. */
typedef struct galley__cache_entry {
    char *name;
    char *block;    /* its records, as the program wrote them */
    size_t len;
    int rerun;      /* 1: the program has it, but its result is not kept
                       (timed out, cut, .no_cache): it must run */
    char *inputs;   /* its .inputs globs, or NULL */
    char digest[GALLEY__DIGEST_LEN]; /* of those files when it ran */
} galley__cache_entry;

/* The cached results of one program. */
typedef struct galley__cache_pack {
    char key[GALLEY__DIGEST_LEN]; /* "" when the program cannot be cached */
    galley__cache_entry *v;
    size_t n;
    int complete;   /* holds every test of the program */
    int dirty;      /* changed since it was read: to be written */
    int found;      /* read from the cache */
} galley__cache_pack;

/* The cache of one run. */
typedef struct galley__cache {
    char *root;
    char *dir;      /* ROOT/_galley/cache */
    int read;       /* take results from the cache */
    int write;      /* keep new results in it */
    long cap;       /* its size limit in bytes */
    char base[GALLEY__DIGEST_LEN]; /* what every program's key shares */
    galley__words globs, globs_digest; /* per-test inputs seen, and their
                                          digests in this run */
    galley__words stat;  /* lines of the table of file digests: the first
                            stat_sorted as read, sorted by their stat data;
                            then those added by this run */
    size_t stat_sorted;
    int stat_dirty;
    galley__words written; /* the packs this run wrote (their file names) */
} galley__cache;

/* Starts the cache of a run in conf's root: read and write say whether
 * results are taken from it and kept in it. */
void galley__cache_init(galley__cache *c, const galley__config *conf,
                        int read, int write);
/* Writes what the run learnt, and removes old packs when the cache is
 * over its size. */
void galley__cache_fini(galley__cache *c);

/* Finds the pack of the program exe (root-relative) linked with the
 * shared library sut (root-relative, or NULL) and reads it: p->key is ""
 * when the program cannot be read, and p is empty when nothing valid is
 * cached. Release with galley__cache_pack_fini. */
void galley__cache_open_pack(galley__cache *c, const char *exe,
                             const char *sut, galley__cache_pack *p);
/* Returns test name's entry in p when its result may be used (it is kept,
 * and the files of its .inputs are those it ran with), else NULL. */
const galley__cache_entry *galley__cache_hit(galley__cache *c,
                                             const galley__cache_pack *p,
                                             const char *name);
/* Keeps in p the records block[0..len) of test name (its .inputs: inputs,
 * or NULL); rerun: not kept, but known to be in the program. */
void galley__cache_put(galley__cache *c, galley__cache_pack *p,
                       const char *name, const char *block, size_t len,
                       const char *inputs, int rerun);
/* Writes p when it changed; marks it used when it was read. */
void galley__cache_save(galley__cache *c, galley__cache_pack *p);
void galley__cache_pack_fini(galley__cache_pack *p);

#endif
