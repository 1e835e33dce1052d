/*
 * memory/thread.c - the per-thread states of memory tracing.
 *
 * A thread gets a state at its first traced allocation.  States are never
 * unmapped: when a thread exits, its blocks may still be live (and be
 * freed by others later), so its table and sites stay, and the state
 * waits for the next new thread, which carries on with it.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "memory/memory.h"

__thread struct mem_thread *mem_self;
__thread int mem_busy;

static struct mem_thread *states; /* pushed at the head, never removed */
static uint32_t nstates;
static pthread_mutex_t states_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

struct mem_thread *mem_thread_list(void) {
  return __atomic_load_n(&states, __ATOMIC_ACQUIRE);
}

/*
 * After this, a later free on the exiting thread (another key's
 * destructor) takes the path of a thread without a state, and a later
 * allocation attaches again (the destructor then runs once more).
 */
static void thread_exit(void *arg) {
  struct mem_thread *m = arg;
  mem_self = NULL;
  pthread_mutex_lock(&states_lock);
  m->live = 0;
  pthread_mutex_unlock(&states_lock);
}

static void make_key(void) { pthread_key_create(&exit_key, thread_exit); }

/* A state no thread owns, or a new one.  Caller holds states_lock. */
static struct mem_thread *claim_state(void) {
  struct mem_thread *m;
  for (m = states; m && m->live; m = m->next)
    ;
  if (!m && (m = rt_map_zeroed(sizeof *m))) {
    m->id = nstates++;
    m->next = states;
    __atomic_store_n(&states, m, __ATOMIC_RELEASE);
  }
  if (m)
    m->live = 1;
  return m;
}

/*
 * mem_busy is set throughout: pthread_setspecific may itself call calloc
 * (for keys past the first 32), which must not come back here.
 */
struct mem_thread *mem_thread_attach(void) {
  struct mem_thread *m;
  mem_busy = 1;
  pthread_once(&key_once, make_key);
  pthread_mutex_lock(&states_lock);
  m = claim_state();
  pthread_mutex_unlock(&states_lock);
  if (m)
    pthread_setspecific(exit_key, m);
  mem_self = m;
  mem_busy = 0;
  return m;
}

/* No thread is in the middle of changing a state when fork copies it. */
static void before_fork(void) {
  pthread_mutex_lock(&states_lock);
  mem_table_fork_prepare();
}

static void after_fork_parent(void) {
  mem_table_fork_done(0);
  pthread_mutex_unlock(&states_lock);
}

/*
 * Only the forking thread lives on in the child.  The others' states (and
 * their blocks, which the child still has) wait for new threads; their
 * owners may have been changing their indexes, so those are made again.
 * The child counts from the fork (mem_sites_restart).
 */
static void after_fork_child(void) {
  for (struct mem_thread *m = states; m; m = m->next) {
    if (m != mem_self) {
      m->live = 0;
      mem_index_rebuild(m);
    }
    mem_sites_restart(m);
  }
  mem_table_fork_done(1);
  pthread_mutex_unlock(&states_lock);
}

void mem_thread_init(void) {
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}
