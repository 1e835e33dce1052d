/*
 * threads.c - one thread's part of a profile (threads.h).
 */
#include "cprof-read/threads.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cprof-read/util.h"

/* A file tells apart the threads of its call tree, or where it has none
 * (a program not built with cprof), those of its sampled stacks. */
static int by_sampler(const struct prof_file *pf) {
  return pf->nnodes == 0 && pf->sample_info;
}

uint64_t prof_thread_count(const struct prof_file *pf) {
  if (by_sampler(pf))
    return pf->sample_threads ? pf->nsample_threads : 0;
  return pf->threads ? pf->nthreads : 0;
}

/* The thread's nodes moved to the front, parents rebased; which
 * functions they call, into ran[]. */
static void keep_nodes(struct prof_file *pf, const struct cprof_file_thread *t,
                       char *ran) {
  for (uint32_t v = 0; v < t->nnodes; v++) {
    struct cprof_file_node n = pf->nodes[t->first_node + v];
    if (n.parent != CPROF_NO_PARENT)
      n.parent -= t->first_node;
    pf->nodes[v] = n;
    ran[n.func] = 1;
  }
  pf->nnodes = t->nnodes;
}

/* The merged per-function data of the functions that did not run here. */
static void drop_other_funcs(struct prof_file *pf, const char *ran) {
  uint64_t kept = 0;

  for (uint64_t i = 0; i < pf->nfuncs; i++)
    if (!ran[i]) {
      struct cprof_file_func *f = &pf->funcs[i];
      f->nlines = 0;
      f->min_ticks = f->max_ticks = f->samples = 0;
    }
  for (uint64_t i = 0; i < pf->nhists; i++)
    if (ran[pf->hists[i].func])
      pf->hists[kept++] = pf->hists[i];
  pf->nhists = kept;
}

/* The sampled stacks under the thread's calls, their totals with them;
 * memory sites keep their records, losing a path of another thread. */
static void keep_stacks(struct prof_file *pf,
                        const struct cprof_file_thread *t) {
  uint64_t kept = 0, samples = 0;

  for (uint64_t i = 0; i < pf->nstacks; i++) {
    struct cprof_file_stack st = pf->stacks[i];
    if (!(st.flags & CPROF_STACK_NODE) || st.node < t->first_node ||
        st.node - t->first_node >= t->nnodes)
      continue;
    st.node -= t->first_node;
    samples += st.weight;
    pf->stacks[kept++] = st;
  }
  pf->nstacks = kept;
  if (pf->sample_info) {
    pf->sample_info->signals = kept;
    pf->sample_info->samples = samples;
  }
  for (uint64_t i = 0; i < pf->nmemsites; i++) {
    struct cprof_file_memsite *m = &pf->memsites[i];
    if (m->node == CPROF_NO_PARENT)
      continue;
    m->node = m->node >= t->first_node && m->node - t->first_node < t->nnodes
                  ? m->node - t->first_node
                  : CPROF_NO_PARENT;
  }
}

/* A sampled run's thread k: its stacks, renumbered 0, and their totals. */
static void keep_sampled_thread(struct prof_file *pf, uint32_t k) {
  uint64_t kept = 0, samples = 0;

  for (uint64_t i = 0; i < pf->nstacks; i++)
    if (pf->stacks[i].thread == k) {
      samples += pf->stacks[i].weight;
      pf->stacks[kept] = pf->stacks[i];
      pf->stacks[kept++].thread = 0;
    }
  pf->nstacks = kept;
  pf->sample_info->signals = kept;
  pf->sample_info->samples = samples;
  pf->sample_info->nthreads = 1;
  pf->sample_threads[0] = pf->sample_threads[k];
  pf->nsample_threads = 1;
}

int prof_only_thread(struct prof_file *pf, uint32_t k, char *err,
                     size_t errsize) {
  uint64_t n = prof_thread_count(pf);
  int empty = pf->nnodes == 0 && !pf->sample_info; /* nothing recorded */
  int records =
      by_sampler(pf) ? pf->sample_threads != NULL : pf->threads != NULL;

  if (!records && !empty)
    return errorf(err, errsize,
                  "no thread records (written by an older cprof): its "
                  "threads cannot be told apart");
  if (k >= n && n == 0)
    return errorf(err, errsize, "no thread %" PRIu32 " (it recorded none)", k);
  if (k >= n)
    return errorf(err, errsize,
                  "no thread %" PRIu32 " (its threads: 0 to %" PRIu64 ")", k,
                  n - 1);
  if (by_sampler(pf)) {
    keep_sampled_thread(pf, k);
    return 0;
  }
  struct cprof_file_thread t = pf->threads[k];
  char *ran = xcalloc(pf->nfuncs + 1, 1);
  keep_nodes(pf, &t, ran);
  drop_other_funcs(pf, ran);
  keep_stacks(pf, &t);
  free(ran);
  t.first_node = 0;
  pf->threads[0] = t;
  pf->nthreads = 1;
  pf->hdr.nthreads = 1;
  return 0;
}

struct prof_thread prof_thread_info(const struct prof_file *pf, uint32_t k) {
  if (by_sampler(pf)) {
    const struct cprof_file_sample_thread *t = &pf->sample_threads[k];
    return (struct prof_thread){pf->map_strings + t->name, t->tid, t->runs};
  }
  const struct cprof_file_thread *t = &pf->threads[k];
  return (struct prof_thread){prof_string(pf, t->name), t->tid, t->runs};
}

void prof_thread_label(const struct prof_file *pf, uint32_t k, char *buf,
                       size_t size) {
  struct prof_thread t = prof_thread_info(pf, k);
  const char *name = *t.name ? t.name : "?";

  if (t.runs > 1)
    snprintf(buf, size,
             "thread %" PRIu32 " '%s' (tid %" PRIu32 "; %" PRIu32
             " threads in turn)",
             k, name, t.tid, t.runs);
  else
    snprintf(buf, size, "thread %" PRIu32 " '%s' (tid %" PRIu32 ")", k, name,
             t.tid);
}
