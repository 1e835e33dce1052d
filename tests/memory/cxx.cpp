/*
 * C++ allocation: every form of operator new and delete goes through the
 * traced malloc family (libstdc++'s operators call it), and a failing
 * operator new still throws std::bad_alloc.
 */
#include <cstdint>
#include <new>
#include <string>

#include "cprof.h"

struct alignas(64) Wide {
  char bytes[192];
};

static volatile std::size_t huge = std::size_t{1} << 46; /* 64 TiB */
/* Through these, no new-expression may be elided. */
static char *volatile sink;
static int *volatile ints[3];
static Wide *volatile wides[2];

CPROF_PROFILE static void forms() {
  ints[0] = new int(7);               // @new
  ints[1] = new int[25];              // @newarray
  wides[0] = new Wide;                // @aligned
  wides[1] = new Wide[2];             // @alignedarray
  ints[2] = new (std::nothrow) int[3]; // @nothrow
  delete ints[0];
  delete[] ints[1];
  delete wides[0];
  delete[] wides[1];
  delete[] ints[2];
  std::string s(100, 'x');               // @string
}
// MEM: @new allocs=1 alloc_bytes=4 size=0
// MEM: @newarray allocs=1 alloc_bytes=100 size=0
// MEM: @aligned allocs=1 alloc_bytes=192 size=0
// MEM: @alignedarray allocs=1 alloc_bytes=384 size=0
// MEM: @nothrow allocs=1 alloc_bytes=12 size=0
// MEM: @string allocs=1 alloc_bytes=101 size=0
// MEM-FUNCTION: forms() allocs=6 size=0 peak=692

CPROF_PROFILE static bool refused() {
  try {
    sink = new char[huge]; // @bad
    delete[] sink;
  } catch (const std::bad_alloc &) {
    return true;
  }
  return false;
}
// Only the exception object, freed once caught.
// MEM: @bad allocs=1 size=0 count=0

CPROF_PROFILE int main() {
  forms();
  return refused() ? 0 : 1;
}
// MEM-TOTAL: current=0 peak=692 dropped=0
