/* shard.c: the assignment of tests to shards, --shard's syntax and Bazel's
 * environment variables. The hash must never change: CI matrices and
 * Bazel caches rely on a test staying on its shard from run to run. */
#define _GNU_SOURCE
#include "shard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../source/util.h"

/* The most shards accepted: more would leave nearly all of them empty. */

int galley__shard_of(const char *key, int total)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a's offset basis */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    /* FNV-1a's lowest bits mix poorly (bit 0 is a parity of the bytes'
     * bit 0), and a modulo by a small N keeps only those: fmix64 spreads
     * every bit over all of them. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return (int)(h % (uint64_t)total);
}

/* Parses a whole decimal number in [min, max]; returns -1 if s is not
 * one. */
static long S_number(const char *s, size_t n, long min, long max)
{
    if (n == 0 || n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= min && v <= max ? v : -1;
}

int galley__shard_parse(const char *s, int *index, int *total)
{
    const char *slash = strchr(s, '/');
    long n = slash ? S_number(slash + 1, strlen(slash + 1), 1,
                              GALLEY__MAX_SHARDS)
                   : -1;
    long k = slash && n > 0 ? S_number(s, (size_t)(slash - s), 1, n) : -1;
    if (k < 0)
        return -1;
    *index = (int)k - 1;
    *total = (int)n;
    return 0;
}

/* Creates (or updates the time of) the file at path. */
static int S_touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    close(fd);
    return 0;
}

int galley__shard_from_env(int *index, int *total)
{
    const char *t = getenv("TEST_TOTAL_SHARDS");
    const char *i = getenv("TEST_SHARD_INDEX");
    const char *status = getenv("TEST_SHARD_STATUS_FILE");
    if (!t || !*t)
        return 0;
    long n = S_number(t, strlen(t), 1, GALLEY__MAX_SHARDS);
    long k = n > 0 && i ? S_number(i, strlen(i), 0, n - 1) : -1;
    if (n < 0 || k < 0) {
        galley__error_at(NULL, 0, "bad test sharding environment: "
                         "TEST_TOTAL_SHARDS=%s TEST_SHARD_INDEX=%s (Bazel's "
                         "protocol: 0 <= TEST_SHARD_INDEX < "
                         "TEST_TOTAL_SHARDS)", t, i ? i : "(unset)");
        return -1;
    }
    int rc = status && *status ? S_touch(status) : 0;
    if (rc != 0) {
        galley__error_at(NULL, 0, "cannot touch TEST_SHARD_STATUS_FILE %s: %s",
                         status, strerror(-rc));
        return -1;
    }
    *index = (int)k;
    *total = (int)n;
    return 0;
}
