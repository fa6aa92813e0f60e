/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput over files, the
 * way libFuzzer replays a corpus, without libFuzzer: linked with gcc into
 * both build variants (the sanitizers' in build/asan/), it is how the
 * suite checks every seed and every reproducer found so far on each run,
 * cheaply and with no clang. Fuzzing itself is `ninja fuzz` (see
 * tests/fuzz/run.sh).
 *
 *   build/markdown-replay tests/fuzz/corpus/md    # a directory, or files
 *
 * A property that does not hold aborts (the target's F_fail names it);
 * otherwise prints "replayed N inputs" and exits 0. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../source/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replays the file at path. Returns 1, or 0 when it cannot be read. */
static int S_replay_file(const char *path)
{
    galley__buf b;
    galley__buf_init(&b);
    if (galley__read_file(path, &b) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        galley__buf_fini(&b);
        return 0;
    }
    /* An exact-size copy, so that ASan sees a read past the input. */
    uint8_t *data = galley__xmalloc(b.len ? b.len : 1);
    memcpy(data, b.ptr ? b.ptr : "", b.len);
    LLVMFuzzerTestOneInput(data, b.len);
    free(data);
    galley__buf_fini(&b);
    return 1;
}


/* Replays every file of directory dir, in name order. Returns how many, or
 * -1 when one cannot be read. */
static long S_replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot read %s\n", dir);
        return -1;
    }
    long done = 0;
    for (int i = 0; i < n; i++) {
        char *p = galley__xasprintf("%s/%s", dir, names[i]->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            done = done >= 0 && S_replay_file(p) ? done + 1 : -1;
        free(p);
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc && total >= 0; i++) {
        struct stat st;
        long k = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)
                     ? S_replay_dir(argv[i])
                     : S_replay_file(argv[i]) ? 1 : -1;
        total = k < 0 ? -1 : total + k;
    }
    if (total < 0)
        return 1;
    printf("replayed %ld inputs\n", total);
    return 0;
}
