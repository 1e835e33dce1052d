-- Garbage collector: full and step collections, incremental and
-- generational modes, weak tables, finalizers (__gc) and resurrection.
local before = collectgarbage("count")
do
  local junk = {}
  for i = 1, 20000 do junk[i] = {i, tostring(i)} end
end
collectgarbage()
print(math.type(before), collectgarbage("count") > 0)

local weak = setmetatable({}, {__mode = "k"})
local strong = {}
for i = 1, 100 do
  local k = {}
  weak[k] = i
  if i % 10 == 0 then strong[#strong + 1] = k end
end
collectgarbage(); collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
print(left)

local order = {}
for i = 1, 5 do
  setmetatable({}, {__gc = function() order[#order + 1] = i end})
end
collectgarbage(); collectgarbage()
table.sort(order)
print(#order, table.concat(order, ","))

local saved
do
  local obj = setmetatable({name = "phoenix"}, {__gc = function(o) saved = o end})
  obj = nil
end
collectgarbage(); collectgarbage()
print(saved and saved.name)

print(collectgarbage("generational"))
for round = 1, 3 do
  local t = {}
  for i = 1, 5000 do t[i] = {round, i} end
  collectgarbage("step", 0)
end
print(collectgarbage("incremental"))
print(collectgarbage("isrunning"), collectgarbage("step", 1000) ~= nil)
local wv = setmetatable({}, {__mode = "v"})
wv[1] = {}; wv[2] = "a string stays"
collectgarbage()
print(wv[1], wv[2])
