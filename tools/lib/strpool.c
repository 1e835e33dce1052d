/*
 * strpool.c - interned strings in blocks of 64 KiB (or one long string).
 */
#include "cprof-read/strpool.h"

#include <stdlib.h>
#include <string.h>

#include "cprof/format.h"
#include "cprof-read/util.h"

#define BLOCK 65536

struct strpool_block {
  struct strpool_block *next;
  size_t size;
  char data[];
};

void strpool_init(struct strpool *p) {
  memset(p, 0, sizeof *p);
  hash_init(&p->index);
}

struct pool_key {
  const struct strpool *p;
  const char *s;
};

static int pool_eq(const void *key, uint32_t entry) {
  const struct pool_key *k = key;
  return strcmp(k->p->strings[entry], k->s) == 0;
}

/* Room for `size` bytes in the newest block, starting a new one if need be. */
static char *take(struct strpool *p, size_t size) {
  if (size > p->left) {
    size_t block = size > BLOCK ? size : BLOCK;
    struct strpool_block *b = xmalloc(sizeof *b + block);
    b->next = p->blocks;
    b->size = block;
    p->blocks = b;
    p->left = block;
  }
  char *at = p->blocks->data + (p->blocks->size - p->left);
  p->left -= size;
  return at;
}

const char *strpool_add(struct strpool *p, const char *s) {
  struct pool_key k = {p, s};
  size_t len = strlen(s) + 1;
  uint64_t hash = hash_u64(cprof_checksum(CPROF_CHECKSUM_INIT, s, len));
  uint32_t id = hash_find(&p->index, hash, pool_eq, &k);
  char *copy;

  if (id != HASH_NONE)
    return p->strings[id];
  copy = memcpy(take(p, len), s, len);
  p->strings =
      xgrow(p->strings, &p->strings_cap, p->nstrings + 1, sizeof *p->strings);
  p->strings[p->nstrings] = copy;
  hash_add(&p->index, hash, (uint32_t)p->nstrings++);
  return copy;
}

void strpool_free(struct strpool *p) {
  while (p->blocks) {
    struct strpool_block *next = p->blocks->next;
    free(p->blocks);
    p->blocks = next;
  }
  free(p->strings);
  hash_free(&p->index);
  memset(p, 0, sizeof *p);
}
