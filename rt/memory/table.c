/*
 * memory/table.c - address -> (size, site) for every traced block.
 *
 * One table per thread state, open addressing with linear probing.  Its
 * owner inserts and removes with plain stores; another thread removes an
 * entry (a block allocated here, freed there) by a CAS of the key to
 * MEM_TOMB.  The two never write the same slot: an owner writes only
 * empty or removed slots and the keys of blocks it frees itself, and a
 * block is freed by one thread only.
 *
 * When live and removed entries fill half the slots, the owner copies the
 * live ones to a fresh array.  Each old slot is first swapped to
 * MEM_MOVED, so a remover either wins its CAS before the copy (the entry
 * is not copied) or sees MEM_MOVED and looks again in the new array.
 * An old array can be unmapped once no remover is inside any table
 * (`searching` counts them); until then it waits on a list.
 */
#include <sched.h>
#include <sys/mman.h>

#include "memory/memory.h"

#define MIN_SLOTS 1024

static int searching; /* removers between loading a slots pointer and done */
static int resizing;  /* owners inside a resize */
static int forking;   /* a fork waits for resizes to end (see below) */

static size_t slots_bytes(size_t n) {
  return sizeof(struct mem_slots) + n * sizeof(struct mem_entry);
}

static size_t slot_count(const struct mem_slots *s) {
  return s ? s->mask + 1 : 0;
}

/* Unmap retired arrays when no remover can still be reading them. */
static void reclaim(struct mem_table *t) {
  if (__atomic_load_n(&searching, __ATOMIC_SEQ_CST))
    return;
  for (struct mem_slots *s = t->retired, *older; s; s = older) {
    older = s->older;
    munmap(s, slots_bytes(slot_count(s)));
  }
  t->retired = NULL;
}

/* Move the live entries of `old` into `fresh`; returns how many. */
static size_t move_all(struct mem_slots *old, struct mem_slots *fresh) {
  size_t used = 0;
  for (size_t i = 0; old && i <= old->mask; i++) {
    uintptr_t k =
        __atomic_exchange_n(&old->e[i].key, MEM_MOVED, __ATOMIC_ACQ_REL);
    if (k > MEM_MOVED)
      mem_table_place(fresh, k, old->e[i].size, old->e[i].site, &used);
  }
  return used;
}

/* Room for `live` entries at a quarter full at most. */
static size_t size_for(size_t live) {
  size_t n = MIN_SLOTS;
  while (n < 4 * live)
    n *= 2;
  return n;
}

static int resize(struct mem_table *t, size_t live) {
  struct mem_slots *old = t->slots, *fresh;
  size_t n = size_for(live);
  if (!(fresh = rt_map_zeroed(slots_bytes(n))))
    return -1;
  fresh->mask = n - 1;
  t->used = move_all(old, fresh);
  /* seq_cst: a remover that loads `slots` after this sees `fresh`. */
  __atomic_store_n(&t->slots, fresh, __ATOMIC_SEQ_CST);
  if (old) {
    old->older = t->retired;
    t->retired = old;
  }
  reclaim(t);
  return 0;
}

/*
 * Resizes are refused while a fork is under way: the child must not
 * inherit a half-moved array whose owner no longer exists.  The table
 * then fills further; a full table leaves blocks untraced (counted).
 */
static int try_resize(struct mem_table *t, size_t live) {
  int r = -1;
  __atomic_add_fetch(&resizing, 1, __ATOMIC_SEQ_CST);
  if (!__atomic_load_n(&forking, __ATOMIC_SEQ_CST))
    r = resize(t, live);
  __atomic_sub_fetch(&resizing, 1, __ATOMIC_SEQ_CST);
  return r;
}

void mem_table_fork_prepare(void) {
  __atomic_store_n(&forking, 1, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&resizing, __ATOMIC_SEQ_CST))
    sched_yield();
}

/* In a child, the threads that were searching or resizing are gone. */
void mem_table_fork_done(int child) {
  if (child)
    searching = resizing = 0;
  __atomic_store_n(&forking, 0, __ATOMIC_SEQ_CST);
}

/* Live entries, for sizing: used minus the removed ones. */
static size_t count_live(const struct mem_slots *s) {
  size_t live = 0;
  for (size_t i = 0; s && i <= s->mask; i++)
    live += __atomic_load_n(&s->e[i].key, __ATOMIC_RELAXED) > MEM_MOVED;
  return live;
}

/*
 * Called when live and removed entries fill half the slots.  When a
 * resize is refused or fails, the table may fill to 7/8 before blocks
 * go untraced.
 */
int mem_table_make_room(struct mem_table *t) {
  size_t n = slot_count(t->slots);
  if (try_resize(t, count_live(t->slots) + 1) == 0)
    return 0;
  return 8 * (t->used + 1) <= 7 * n ? 0 : -1;
}

/*
 * Look for `key` in one array: 1 taken, 0 absent, -1 the array is being
 * replaced (a MEM_MOVED slot on the way).
 */
static int take_from(struct mem_slots *s, uintptr_t key,
                     struct mem_entry *out) {
  for (size_t i = mem_slot_of(key, s->mask);; i = (i + 1) & s->mask) {
    uintptr_t k = __atomic_load_n(&s->e[i].key, __ATOMIC_ACQUIRE);
    if (k == MEM_EMPTY)
      return 0;
    if (k == MEM_MOVED)
      return -1;
    if (k != key)
      continue;
    out->size = s->e[i].size;
    out->site = s->e[i].site;
    return __atomic_compare_exchange_n(&s->e[i].key, &k, MEM_TOMB, 0,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
               ? 1
               : -1;
  }
}

/* Another thread removes a block of this table (cross-thread free). */
int mem_table_take_other(struct mem_table *t, uintptr_t key,
                         struct mem_entry *out) {
  struct mem_slots *s;
  int r = 0;
  __atomic_add_fetch(&searching, 1, __ATOMIC_SEQ_CST);
  while ((s = __atomic_load_n(&t->slots, __ATOMIC_SEQ_CST)) &&
         (r = take_from(s, key, out)) < 0) {
    /* Mid-resize: wait until the owner publishes the new array. */
    while (__atomic_load_n(&t->slots, __ATOMIC_ACQUIRE) == s)
      sched_yield();
  }
  __atomic_sub_fetch(&searching, 1, __ATOMIC_SEQ_CST);
  return r;
}
