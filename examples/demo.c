/*
 * demo.c - a small program to profile: a prime sieve, an insertion sort
 * and a recursive Fibonacci, each marked with CPROF_PROFILE.
 *
 *   gcc -fplugin=build/plugin-gcc/cprof.so -O2 -Iinclude examples/demo.c \
 *       -Lbuild/rt -lcprof -o demo && ./demo && build/bin/prstats cprof.out
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

CPROF_PROFILE static int sieve(int n) {
  char *composite = calloc((size_t)n + 1, 1);
  int count = 0;
  for (int i = 2; i <= n; i++) {
    if (composite[i])
      continue;
    count++;
    for (long j = (long)i * i; j <= n; j += i)
      composite[j] = 1;
  }
  free(composite);
  return count;
}

CPROF_PROFILE static void insertion_sort(int *a, int n) {
  for (int i = 1; i < n; i++) {
    int v = a[i], j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

CPROF_PROFILE static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

CPROF_PROFILE int main(void) {
  int a[2000];
  srand(1);
  for (int i = 0; i < 2000; i++)
    a[i] = rand();
  insertion_sort(a, 2000);
  printf("primes below 1e6: %d\n", sieve(1000000));
  printf("fib(25) = %ld\n", fib(25));
  return 0;
}
