/*
 * burner.cc - a C++ member function of a class template in a namespace,
 * burning CPU for the stack sampler's tests (sample.py): its sampled name
 * must be demangled, and so must that of the member function always
 * inlined into it, which the DWARF of a -g build shows as its own frame.
 *
 *   burner [SECONDS]      CPU seconds to burn, in Burner<unsigned long>::burn,
 *                         nearly all of them in its inlined Burner::add
 */
#include <cstdlib>
#include <ctime>

namespace shapes {
static volatile unsigned long sink;

static double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

template <typename T> struct Burner {
  __attribute__((always_inline)) inline void add(T n) {
    for (T i = 0; i < n; i++)
      sink = sink + static_cast<unsigned long>(i);
  }
  __attribute__((noinline)) void burn(double seconds) {
    double until = cpu_seconds() + seconds;
    while (cpu_seconds() < until)
      add(100000);
  }
};
} // namespace shapes

int main(int argc, char **argv) {
  shapes::Burner<unsigned long> b;
  b.burn(argc > 1 ? std::atof(argv[1]) : 0.5);
  return 0;
}
