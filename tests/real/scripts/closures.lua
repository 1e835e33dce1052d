-- Closures and upvalues, varargs, recursion, tail calls, goto.
local function counter(start)
  local n = start
  return function(step) n = n + (step or 1); return n end, function() return n end
end
local inc, get = counter(10)
inc(); inc(5); print(get())

local fns = {}
for i = 1, 10 do fns[i] = function() return i * i end end
local s = 0
for _, f in ipairs(fns) do s = s + f() end
print(s)

local function sum(...)
  local total = 0
  for i = 1, select("#", ...) do total = total + (select(i, ...) or 0) end
  return total, select("#", ...)
end
print(sum(1, 2, nil, 4), sum())

local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))

local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + n) -- a proper tail call: no stack growth
end
print(loop(100000, 0))

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))

local i = 1
::again::
i = i * 3
if i < 1000 then goto again end
print(i)
print(string.format("%q", string.dump(fib) ~= nil))
