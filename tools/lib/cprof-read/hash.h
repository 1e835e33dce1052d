/*
 * hash.h - an open-addressing index over an array the caller owns.
 *
 * The index stores (hash, entry number) pairs only; the caller keeps the
 * entries and says how to compare one with a key.  Functions (keyed by
 * name, file and line), call edges (caller, callee) and call paths
 * (parent path, function) use it, so 100k functions or a million edges
 * stay O(1) per lookup.
 */
#ifndef CPROF_READ_HASH_H
#define CPROF_READ_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_NONE UINT32_MAX

/*
 * An index has fewer than 2^32 entries, so the low 32 bits of a hash are
 * enough to place one and to skip most unequal keys; 8-byte slots keep
 * the index of a million edges at 16 MB.
 */
struct hash_slot {
  uint32_t hash;  /* the low bits of the entry's hash */
  uint32_t entry; /* HASH_NONE: empty */
};

struct hash_index {
  struct hash_slot *slot;
  size_t mask; /* capacity - 1; capacity is a power of two */
  size_t count;
};

/* Does entry number `entry` equal the key behind `key`? */
typedef int (*hash_eq_fn)(const void *key, uint32_t entry);

void hash_init(struct hash_index *h);
void hash_free(struct hash_index *h);
uint32_t hash_find(const struct hash_index *h, uint64_t hash, hash_eq_fn eq,
                   const void *key);
void hash_add(struct hash_index *h, uint64_t hash, uint32_t entry);

/* Mixes a 64-bit integer key into a well-spread hash. */
uint64_t hash_u64(uint64_t x);

#endif /* CPROF_READ_HASH_H */
