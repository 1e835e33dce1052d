/*
 * init.c - start-up: the one place that wires the layers together.
 *
 * The base (rt/base/) and the core (rt/core/) are set up first, then
 * stack sampling (rt/sample/) and memory tracing (rt/memory/) are plugged
 * into the core's hooks, memory last so that the runtime's own set-up is
 * not traced.
 */
#include <stdlib.h>

#include "base/clock.h"
#include "core/core.h"
#include "memory/memory.h"
#include "sample/sample.h"

/* Early, so that our atexit handler runs after the program's own. */
__attribute__((constructor(101))) static void rt_init(void) {
  rt_clock_start();
  rt_clock_choose(); /* before any probe runs: calibration's first */
  rt_thread_init();
  rt_calibrate();
  rt_program_name();
  rt_enabled = rt_env_flag("CPROF_START", 1);
  atexit(rt_exit_dump);
  rt_signals_init(); /* first: CPROF_DUMP_SIGNAL may take one of its signals */
  rt_request_init();
  rt_reset_init();
  rt_sampler_init();
  if (rt_stack_init()) { /* CPROF_SAMPLE: stacks of every thread */
    rt_hooks.sample_stack = rt_stack_sample;
    rt_hooks.sample_write = rt_stack_write;
  }
  rt_hooks.memory_function = rt_memory_start;
  rt_hooks.dump_active = rt_memory_tracing;
  rt_hooks.dump_write = rt_memory_write;
  rt_memory_init();
}
