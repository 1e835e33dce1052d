/* Exits with status 3 after profiled calls: the runtime must not change
 * that status, whatever happens to the profile.  Used by robust.py. */
__attribute__((profile)) static int work(int x) { return x + 1; }

__attribute__((profile)) int main(void) {
  int s = 0;
  for (int i = 0; i < 1000; i++)
    s += work(i);
  return s > 0 ? 3 : 4;
}
