/*
 * inlined.cpp SECONDS - C++ for the sampler: a class template's member
 * and a function in a namespace (names to demangle), each with an inlined
 * helper whose work is charged to it.
 */
#include <cstdlib>
#include <ctime>

namespace work {
static volatile unsigned long sink;

inline unsigned long spin(unsigned long n) {
  unsigned long x = n;
  for (unsigned long i = 0; i < n; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

// Not leaves: a function that calls nothing gets no frame from GCC, and
// the walk would miss its caller.
__attribute__((noinline)) void keep(unsigned long x) { sink += x; }

template <typename T> struct Burner {
  __attribute__((noinline)) void run(T n) {
    keep(spin(n));
    sink++;
  }
};

__attribute__((noinline)) void burn_twice(unsigned long n) {
  keep(spin(2 * n));
  sink++;
}
} // namespace work

static double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  double until = cpu_seconds() + (argc > 1 ? std::atof(argv[1]) : 1.0);
  work::Burner<unsigned long> b;
  while (cpu_seconds() < until) {
    b.run(10000000);
    work::burn_twice(10000000);
  }
  return 0;
}
