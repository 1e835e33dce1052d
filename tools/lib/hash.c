/*
 * hash.c - linear probing, kept under half full.
 */
#include "cprof-read/hash.h"

#include <stdlib.h>

#include "cprof-read/util.h"

static void alloc_slots(struct hash_index *h, size_t cap) {
  h->slot = xmalloc(cap * sizeof *h->slot);
  for (size_t i = 0; i < cap; i++)
    h->slot[i].entry = HASH_NONE;
  h->mask = cap - 1;
}

void hash_init(struct hash_index *h) {
  h->count = 0;
  alloc_slots(h, 64);
}

void hash_free(struct hash_index *h) {
  free(h->slot);
  h->slot = NULL;
}

uint32_t hash_find(const struct hash_index *h, uint64_t hash, hash_eq_fn eq,
                   const void *key) {
  uint32_t low = (uint32_t)hash;

  for (size_t i = low & h->mask;; i = (i + 1) & h->mask) {
    const struct hash_slot *s = &h->slot[i];
    if (s->entry == HASH_NONE)
      return HASH_NONE;
    if (s->hash == low && eq(key, s->entry))
      return s->entry;
  }
}

static void put(struct hash_index *h, uint32_t hash, uint32_t entry) {
  size_t i = hash & h->mask;
  while (h->slot[i].entry != HASH_NONE)
    i = (i + 1) & h->mask;
  h->slot[i].hash = hash;
  h->slot[i].entry = entry;
}

/* The caller has checked that the key is absent. */
void hash_add(struct hash_index *h, uint64_t hash, uint32_t entry) {
  if (2 * (h->count + 1) > h->mask + 1) {
    struct hash_slot *old = h->slot;
    size_t oldcap = h->mask + 1;
    alloc_slots(h, 2 * oldcap);
    for (size_t i = 0; i < oldcap; i++)
      if (old[i].entry != HASH_NONE)
        put(h, old[i].hash, old[i].entry);
    free(old);
  }
  put(h, (uint32_t)hash, entry);
  h->count++;
}

/* splitmix64's finaliser: consecutive indexes land far apart. */
uint64_t hash_u64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
