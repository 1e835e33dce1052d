-- bench.lua - a CPU-heavy Lua workload for the real-program benchmark.
--
--   lua bench.lua [SCALE]   (SCALE 1 by default; the work grows linearly,
--                            fractions allowed)
--
-- It exercises what Lua programs spend their time on: calls and
-- recursion, tables and sorting with a Lua comparator, strings and
-- patterns, closures, and method calls through metatables.  It raises no
-- error and runs no coroutine, so every C function it enters returns
-- normally (error and yield leave C frames by longjmp, which profilers
-- built on -finstrument-functions do not see).

local scale = tonumber(arg and arg[1]) or 1
local function size(n) return math.max(1, math.floor(n * scale)) end

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local function sorting(n)
  local t = {}
  local seed = 42
  for i = 1, n do
    seed = (seed * 1103515245 + 12345) % 2147483648
    t[i] = { key = seed % 100000, name = "item" .. i }
  end
  table.sort(t, function(a, b) return a.key < b.key end)
  return t[1].key + t[n].key
end

local function strings(n)
  local parts = {}
  for i = 1, n do
    parts[#parts + 1] = string.format("%d:%s;", i, string.rep("x", i % 7))
  end
  local s = table.concat(parts)
  local count = 0
  for word in s:gmatch("%d+:x+") do count = count + #word end
  return count + #s:gsub("x", "yz")
end

local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:norm2() return self.x * self.x + self.y * self.y end

local function objects(n)
  local acc = Point.new(0, 0)
  for i = 1, n do
    acc = acc:add(Point.new(i % 13, -(i % 7)))
  end
  return acc:norm2()
end

local function closures(n)
  local function counter()
    local c = 0
    return function(d) c = c + d; return c end
  end
  local total = 0
  for i = 1, n do
    local f = counter()
    for j = 1, 10 do total = total + f(j) end
  end
  return total
end

local result = 0
for _ = 1, size(8) do result = result + fib(20) end
result = result + sorting(size(20000))
result = result + strings(size(20000))
result = result + objects(size(100000))
result = result + closures(size(20000))
print("result", result)
