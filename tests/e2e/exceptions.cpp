/*
 * A C++ exception thrown through two profiled frames (thrower, middle) and
 * caught in a third (catcher).  Every unwound frame calls exit, so the
 * counts stay right and later calls are attributed to their real caller:
 * after() is called by catcher after each catch, later() by main.
 */
// CHECK: thrower ncalls=6 pcalls=6
// CHECK: middle(int) ncalls=6 pcalls=6
// CHECK: catcher(int) ncalls=6 pcalls=6
// CHECK: after() ncalls=3 pcalls=3
// CHECK: later() ncalls=1 pcalls=1
// CHECK-EDGE: catcher(int) -> middle(int) ncalls=6 pcalls=6
// CHECK-EDGE: middle(int) -> thrower ncalls=6 pcalls=6
// CHECK-EDGE: catcher(int) -> after() ncalls=3 pcalls=3
// CHECK-EDGE: main -> catcher(int) ncalls=6 pcalls=6
// CHECK-EDGE: main -> later() ncalls=1 pcalls=1
// CHECK-LINE: thrower @throw hits=3
// CHECK-LINE: middle(int) @not_reached_on_throw hits=3
// CHECK-LINE: catcher(int) @handler hits=3
// CHECK-LINE: catcher(int) @normal hits=3
#include <cstdio>
#include <stdexcept>
#include <string>

static int counter;

extern "C" [[gnu::profile]] void thrower(int n)
{
  if (n % 2)
    throw std::runtime_error("odd"); // @throw
  counter++;
}

[[gnu::profile]] void middle(int n)
{
  std::string local("destroyed on unwind");
  thrower(n);
  counter += (int)local.size(); // @not_reached_on_throw
}

[[gnu::profile]] void after()
{
  counter--;
}

[[gnu::profile]] void later()
{
  std::printf("%d\n", counter);
}

[[gnu::profile]] int catcher(int n)
{
  try {
    middle(n);
  } catch (const std::exception &e) {
    after(); // @handler
    return 1;
  }
  return 0; // @normal
}

[[gnu::profile]] int main()
{
  int caught = 0;
  for (int i = 0; i < 6; i++)
    caught += catcher(i);
  later();
  return caught == 3 ? 0 : 1;
}
