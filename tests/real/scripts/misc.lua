-- utf8, os and io (a temporary file), load with environments, string
-- packing and the debug library.
print(utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), #utf8.char(8364))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end
print(utf8.codepoint("héllo", 1, -1))
print(utf8.offset("aé€b", 3), utf8.len("\xff"), #utf8.charpattern)

local name = os.tmpname()
local f = assert(io.open(name, "w"))
for i = 1, 100 do f:write(i, " line ", i * i, "\n") end
f:close()
local count, total = 0, 0
for line in io.lines(name) do
  count = count + 1
  total = total + tonumber(line:match("(%d+)$"))
end
print(count, total)
f = assert(io.open(name, "r"))
print(f:read("n", "l"), f:seek("set", 0), f:read(5), f:seek("end") > 0)
f:close()
print(os.remove(name), io.open(name) == nil, type(os.time()), type(os.clock()))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365), os.getenv("CPROF_SURELY_UNSET_VARIABLE"))

local env = {x = 5}
local chunk = load("y = x * 2; return y + 1", "chunk", "t", env)
print(chunk(), env.y, load("syntax error here"))
local pieces = {"return ", "1 ", "+ ", "41"}
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())

local packed = string.pack("<i4 d s1 z", -7, 1.5, "hi", "zero")
print(#packed, string.unpack("<i4 d s1 z", packed))
print(string.packsize("i4 i8 d"), string.unpack(">I2", "\1\2"))

local function where() local info = debug.getinfo(1, "nSl"); return info.short_src:match("[^/]*$"), info.currentline, info.what end
print(where())
local up = 1
local function uses() return up end
local function locals(a, b) return debug.getlocal(1, 2) end
print(debug.getupvalue(uses, 1), locals(1, 2))
local hits = 0
debug.sethook(function() hits = hits + 1 end, "c")
for _ = 1, 10 do math.abs(-1) end
debug.sethook()
print(hits >= 10)
