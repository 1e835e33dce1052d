/*
 * C++ under -fplugin-arg-cprof-all: every function written here is
 * profiled (constructors, destructors, operators, template instances),
 * nothing from the standard headers, and no lambda.  Destructors that run
 * at a closing brace make that brace a line; the jump back of a loop does
 * not.  (Statements spread over several lines are avoided: each front end
 * has its own idea of which line an operator or a call belongs to.)
 */
// ARGS: -fplugin-arg-cprof-all
// CHECK: Tally::Tally(int) ncalls=2 pcalls=2
// CHECK: Tally::~Tally() ncalls=2 pcalls=2
// CHECK: Guard::Guard(int&) ncalls=12 pcalls=12
// CHECK: Guard::~Guard() ncalls=12 pcalls=12
// CHECK: Tally::operator+=(int) ncalls=10 pcalls=10
// CHECK: int biggest<int>(std::vector<int, std::allocator<int> > const&) ncalls=2 pcalls=2
// CHECK: fill(Tally&, int) ncalls=2 pcalls=2
// CHECK-EDGE: fill(Tally&, int) -> Guard::Guard(int&) ncalls=12 pcalls=12
// CHECK-EDGE: fill(Tally&, int) -> Tally::operator+=(int) ncalls=10 pcalls=10
// CHECK-LINE: fill(Tally&, int) @inner hits=10
// CHECK-LINE: fill(Tally&, int) @inner_end hits=10
// CHECK-LINE: fill(Tally&, int) @fill_end hits=2
// CHECK-LINE: int biggest<int>(std::vector<int, std::allocator<int> > const&) @pick hits=9
// CHECK-NOT: _ZNSt6vectorIiSaIiEE9push_backERKi
#include <algorithm>
#include <cstdio>
#include <vector>

static int live;

struct Guard {
  int &count;
  explicit Guard(int &c) : count(c) { ++count; }
  ~Guard() { --count; }
};

class Tally {
public:
  explicit Tally(int start) : values{start} {}
  ~Tally() { std::printf("%zu values\n", values.size()); }
  Tally &operator+=(int v)
  {
    values.push_back(v);
    return *this;
  }
  const std::vector<int> &all() const { return values; }

private:
  std::vector<int> values;
};

template <typename T> T biggest(const std::vector<T> &v)
{
  T best = v.front();
  for (const T &x : v)
    if (x > best)
      best = x; // @pick
  return best;
}

void fill(Tally &t, int n)
{
  Guard outer(live);
  for (int i = 0; i < n; i++) {
    Guard inner(live);
    t += i * 3 % 7; // @inner
  } // @inner_end
  std::vector<int> &v = const_cast<std::vector<int> &>(t.all());
  std::sort(v.begin(), v.end(), [](int a, int b) { return a < b; });
} // @fill_end

int main()
{
  int total = 0;
  {
    Tally a(1), b(2);
    fill(a, 4);
    fill(b, 6);
    total = biggest(a.all()) + biggest(b.all());
  }
  std::printf("%d %d\n", total, live);
  return 0;
}
