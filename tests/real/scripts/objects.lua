-- Metatables and metamethods: classes with inheritance, operators,
-- __index/__newindex proxies, __call, __tostring, __eq/__lt/__le, __len.
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__mul(a, k) return Vec.new(a.x * k, a.y * k) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__lt(a, b) return a:len2() < b:len2() end
function Vec.__le(a, b) return a:len2() <= b:len2() end
function Vec.__tostring(v) return "(" .. v.x .. "," .. v.y .. ")" end
function Vec.__unm(v) return Vec.new(-v.x, -v.y) end
function Vec.__len(v) return 2 end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4)
print(tostring(a + b), tostring(a * 3), a == Vec.new(1, 2), a < b, b <= a, tostring(-a), #a)

local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("Rex"):speak(), getmetatable(Dog.new("x")) == Dog)

local log = {}
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return store[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set " .. k; store[k] = v end,
  __call = function(_, x) return x * 2 end,
  __concat = function(_, s) return "proxy.." .. s end,
})
proxy.a = 1; proxy.b = proxy.a + 1
print(proxy.b, proxy(21), proxy .. "tail", table.concat(log, ","))

local memo = setmetatable({}, {__index = function(t, n)
  local v = n < 2 and n or t[n - 1] + t[n - 2]
  t[n] = v
  return v
end})
print(memo[80])
local ro = setmetatable({}, {__newindex = function() error("read-only", 2) end, __metatable = "locked"})
print(pcall(function() ro.x = 1 end), getmetatable(ro), pcall(setmetatable, ro, {}))
