/* shard.h: splits a suite over machines. Each TEST goes to one of N shards
 * by a stable hash of "FILE:TEST" (FILE relative to the project root), so
 * the assignment depends neither on the order of discovery nor on the
 * machine, and the shards together run every test exactly once. */
#ifndef GALLEY_SHARD_H
#define GALLEY_SHARD_H

#include <stddef.h>

/* The most shards --shard and Bazel's TEST_TOTAL_SHARDS may ask for. */
#define GALLEY__MAX_SHARDS 1000000

/* Returns the 0-based shard, out of total (> 0), of key: FNV-1a (64 bits)
 * of its bytes, finished with MurmurHash3's fmix64 so that the low bits
 * also depend on every byte, modulo total. */
int galley__shard_of(const char *key, int total);

/* Parses --shard's value K/N (1-based: 1 <= K <= N) into a 0-based *index
 * and *total. Returns 0, or -1 when s is not that (the caller says so). */
int galley__shard_parse(const char *s, int *index, int *total);

/* Applies Bazel's test-sharding protocol: when TEST_TOTAL_SHARDS is set,
 * reads it and TEST_SHARD_INDEX (0-based) into *total and *index and
 * touches TEST_SHARD_STATUS_FILE when that is set, which tells Bazel that
 * the runner shards. Leaves both alone when it is not set. Returns 0, or
 * -1 after printing what is wrong. */
int galley__shard_from_env(int *index, int *total);

#endif
