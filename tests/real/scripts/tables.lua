-- Tables: array and hash parts, growth and shrinking, next/pairs (in a
-- sorted order, since hash order varies between runs), table library.
local t = {}
for i = 1, 5000 do t[i] = i * i end
for i = 1, 5000, 3 do t[i] = nil end
local n, sum = 0, 0
for k, v in pairs(t) do n = n + 1; sum = sum + v end
print(n, sum)

local h = {}
for i = 1, 3000 do h["key" .. i] = i end
for i = 1, 3000, 2 do h["key" .. i] = nil end
local keys = {}
for k in pairs(h) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], keys[#keys], h.key2, h.key3)

local a = {1, 2, 3}
table.insert(a, 4)
table.insert(a, 1, 0)
print(table.remove(a), table.remove(a, 1), table.concat(a, " "))
print(table.unpack(table.move({1, 2, 3, 4, 5}, 2, 4, 1)))
local packed = table.pack(nil, "x", nil)
print(packed.n, packed[2])
print(#{n = 1, 10, 20, 30}, rawlen({1, 2}), rawequal(a, a), rawget(h, "key4"))

-- Mixed keys: floats that are integers, booleans, tables as keys.
local m = {}
m[1.0] = "one"; m[2] = "two"; m[true] = "yes"; local kt = {}; m[kt] = "table"
print(m[1], m[2.0], m[true], m[kt], math.type(next({[3.0] = 1})))
