/*
 * Catch handlers start lines like ordinary code; landing pads and the
 * destructors that run while an exception unwinds do not.  catch (...),
 * a typed catch, a rethrow and a function-local object being unwound.
 */
// CHECK: guarded(int) ncalls=8 pcalls=8
// CHECK: relay(int) ncalls=8 pcalls=8
// CHECK-EDGE: relay(int) -> guarded(int) ncalls=8 pcalls=8
// CHECK-LINE: guarded(int) @any hits=2
// CHECK-LINE: guarded(int) @typed hits=2
// CHECK-LINE: guarded(int) @after hits=6
// CHECK-LINE: relay(int) @rethrown hits=2
// CHECK: allman(int) ncalls=8 pcalls=8
// CHECK: risky(int) ncalls=18 pcalls=18
// CHECK-LINE: allman(int) @nested_after hits=2
#include <cstdio>
#include <stdexcept>
#include <string>

[[gnu::profile]] int risky(int n)
{
  std::string note("unwound");
  if (n % 4 == 1)
    throw std::runtime_error("one");
  if (n % 4 == 2)
    throw n;
  if (n % 4 == 3)
    throw 'c';
  return (int)note.size();
}

[[gnu::profile]] int guarded(int n)
{
  int r = 0;
  try {
    r = risky(n);
  } catch (const std::exception &e) {
    r = -1; // @typed
  } catch (int) {
    r = -2; // @any
  }
  r += 10; // @after
  return r;
}

[[gnu::profile]] int relay(int n)
{
  try {
    return guarded(n);
  } catch (...) {
    std::puts("relayed"); // @rethrown
    return 0;
  }
}

/* The same in Allman style, with empty handlers and a try in a handler. */
[[gnu::profile]] int allman(int n)
{
  int r = 0;
  try
  {
    r = risky(n);
  }
  catch (const std::runtime_error &)
  {
    try
    {
      r = risky(n + 1);
    }
    catch (int)
    {
    }
    r -= 5; // @nested_after
  }
  catch (...)
  {
  }
  return r;
}

[[gnu::profile]] int main()
{
  int t = 0;
  for (int i = 0; i < 8; i++)
    t += relay(i) + allman(i);
  std::printf("%d\n", t);
  return 0;
}
