-- Errors: pcall/xpcall, error objects, levels, tracebacks, to-be-closed
-- variables, and errors raised by the runtime itself.
local function strip(msg) return (tostring(msg):gsub("^[^:]*:%d+: ", "")) end
print(type(select(2, pcall(error, {code = 7}))))
print(select(2, pcall(error, {code = 7})).code)
print(pcall(function() error("plain", 0) end))
print(strip(select(2, pcall(function() error("level 1") end))))
print(strip(select(2, pcall(function() return 1 + {} end))))
print(strip(select(2, pcall(function() return #nil end))))
print(strip(select(2, pcall(function() local t = setmetatable({}, {__index = function(_, k) error("no " .. k) end}); return t.x end))))
print(xpcall(function() error("deep") end, function(m) return "handled: " .. strip(m) end))
print(select("#", pcall(error)))

-- Nested pcall depth and recovery.
local depth = 0
local function nest(n)
  if n == 0 then error("bottom") end
  depth = depth + 1
  local ok, e = pcall(nest, n - 1)
  return (ok and "?" or strip(e)) .. "<" .. n
end
print(nest(5), depth)

do
  local log = {}
  local ok = pcall(function()
    local a <close> = setmetatable({}, {__close = function(_, e) log[#log + 1] = "a:" .. strip(e) end})
    local b <close> = setmetatable({}, {__close = function() log[#log + 1] = "b" end})
    error("in scope")
  end)
  print(ok, table.concat(log, " "))
end

local tb = debug.traceback("msg", 1)
print((tb:gsub("\n.*", "")), select(2, tb:gsub("\n", "\n")) > 0)
print(tostring(nil), tonumber("0x10"), tonumber("z", 36), tonumber("1e2"), tonumber("x"))
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5))
