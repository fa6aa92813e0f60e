/* build.h: turns test files into test programs through a generated Ninja
 * file under _galley/, incrementally and in parallel. */
#ifndef GALLEY_BUILD_H
#define GALLEY_BUILD_H

#include <stddef.h>

#include "config.h"
#include "discover.h"

/* Where galley's own header and runtime library are. */
typedef struct galley__runtime {
    char *include_dir;  /* holds galley.h */
    char *library;      /* libgalley.a */
    char *flags;        /* flags the library was built with that test
                           programs need too (sanitizers), or "" */
    /* libgalley-cuda, read from libgalley-cuda.txt beside libgalley.a
     * (tools/cuda.sh writes it; tools/install.sh installs it): */
    char *cuda_library; /* libgalley-cuda.a, or NULL when not built */
    char *cuda_libs;    /* what a program linking it needs (-lcudart...) */
    char *cuda_info;    /* galley --version's words: "libgalley-cuda (CUDA
                           13.0)" or "not built (why)" */
} galley__runtime;

/* Finds the runtime next to the running executable: in the build tree
 * (build/galley beside build/libgalley.a and lib/include/) or in an install
 * prefix (bin/galley, include/galley.h, and libgalley.a in lib, Debian's
 * multiarch lib/TRIPLET or lib64). Returns 0, or -1 after printing what
 * was looked for. */
int galley__runtime_find(galley__runtime *rt);
/* The same, saying nothing when it is not found (galley --version). */
int galley__runtime_find_quiet(galley__runtime *rt);
void galley__runtime_fini(galley__runtime *rt);

/* One test file's program after a build. */
typedef struct galley__program {
    char *exe;        /* root-relative path of the program */
    char *log;        /* compile and link diagnostics (heap, may be "") */
    int ok;           /* 1 if the program is up to date and runnable */
    int own_error;    /* the test file itself did not compile */
} galley__program;

/* A failure to compile code under test, which fails every test file. */
typedef struct galley__build {
    galley__program *progs;  /* one per source, same order */
    size_t n;
    char *sut_log;          /* diagnostics of code under test, or NULL */
    int sut_failed;
    char *ninja_log;        /* ninja's own output */
} galley__build;

/* Writes ROOT/_galley/build.ninja for sources and runs ninja with jobs
 * parallel jobs; with progress 1, shows ninja's steps as the status line
 * (see progress.h), erased before it returns. Returns 0 when ninja ran
 * (some programs may have failed: see progs[i].ok), or -1 after printing
 * why the build could not run. */
int galley__build_run(galley__build *b, const galley__config *c,
                     const galley__runtime *rt, const galley__sources *s,
                     int jobs, int progress);
void galley__build_fini(galley__build *b);

/* Adds to files every file of the depfiles that ninja keeps for the
 * project under root (`ninja -t deps`, after a build): test files, code
 * under test, the headers of both, and galley's own objects; as ninja
 * names them, relative to root or absolute. Nothing before a build. */
void galley__build_deps(const char *root, galley__words *files);

#endif
