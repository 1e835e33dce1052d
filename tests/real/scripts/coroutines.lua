-- Coroutines: generators, two-way values, wrap, status, yield across
-- pcall, close, and errors inside coroutines.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(4)
for _ = 1, 5 do print(g()) end

local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.resume(co))

-- Producer/consumer through a filter.
local function producer()
  return coroutine.create(function()
    for i = 1, 200 do coroutine.yield(i) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    while true do
      local ok, v = coroutine.resume(src)
      if not v then return end
      if v % 7 == 0 then coroutine.yield(v) end
    end
  end)
end
local f, total = filter(producer()), 0
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  total = total + v
end
print(total)

local yp = coroutine.wrap(function()
  local ok, err = pcall(function()
    coroutine.yield("inside pcall")
    error("after yield")
  end)
  coroutine.yield(ok, (err:gsub("^.-:%d+: ", "")))
  return "end"
end)
print(yp()); print(yp()); print(yp())

local bad = coroutine.create(function() local x = nil; return x.field end)
local ok, msg = coroutine.resume(bad)
print(ok, (msg:gsub("^.-:%d+: ", "")), coroutine.status(bad))
local closable = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closable)
print(coroutine.close(closable), coroutine.status(closable), coroutine.isyieldable())
