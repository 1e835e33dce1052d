/*
 * zlib.c - compression, for the sampler benchmark (sample_cost.py): built
 * with zlib's own sources (Debian's), so that the samples land in zlib's
 * code (deflate_slow, longest_match, inflate_fast...), named by its symbols.
 *
 *   zlib [ROUNDS]   each round deflates 4 MiB of made-up text at level 6
 *                   and inflates it back (8 rounds by default)
 */
#include <string.h>
#include <zlib.h>

#include "bench.h"

#define SIZE (4u << 20)

static unsigned char text[SIZE], packed[SIZE + SIZE / 8 + 1024], back[SIZE];

/* Words of a small vocabulary in a random order: text that compresses
 * about 3 to 1, so that deflate searches its matches as on real text. */
static void make_text(void) {
  static const char *words[] = {"the ",    "profiler ", "samples ", "stack ", "of ",
                                "every ",  "thread ",   "and ",     "counts ", "calls ",
                                "time ",   "function ", "in ",      "a ",      "line ",
                                "report\n"};
  unsigned long seed = 12345;
  unsigned n = 0;
  while (n < SIZE) {
    seed = seed * 6364136223846793005ul + 1442695040888963407ul;
    const char *w = words[(seed >> 33) % (sizeof words / sizeof *words)];
    for (; *w && n < SIZE; w++)
      text[n++] = (unsigned char)*w;
  }
}

static unsigned long round_trip(void) {
  uLongf packed_len = sizeof packed, back_len = sizeof back;
  if (compress2(packed, &packed_len, text, SIZE, 6) != Z_OK ||
      uncompress(back, &back_len, packed, packed_len) != Z_OK || back_len != SIZE ||
      memcmp(back, text, SIZE) != 0) {
    fprintf(stderr, "zlib: round trip failed\n");
    exit(1);
  }
  return packed_len;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 8;
  unsigned long sum = 0;
  make_text();
  double t = now(), c = cpu_now();
  for (int i = 0; i < rounds; i++)
    sum += round_trip();
  report("zlib", now() - t, cpu_now() - c, (long)sum);
  return 0;
}
