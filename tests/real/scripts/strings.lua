-- String library: find/match/gsub with patterns and captures, rep, byte,
-- char, reverse, case conversion, splitting and joining.
local words = {}
local text = "The quick brown fox jumps over the lazy dog; 42 foxes, 7 dogs."
for w in text:gmatch("%a+") do words[#words + 1] = w:lower() end
print(#words, table.concat(words, ","))

print(text:find("fox"), text:find("f(o)x", 20), text:match("(%d+) (%a+)"))
print((text:gsub("%d+", function(n) return tostring(n * 2) end)))
print((text:gsub("(%a+) (%a+)", "%2 %1", 3)))
print(("%bxy"):len(), ("a(b(c)d)e"):match("%b()"))
print(("hello"):rep(3, "-"), ("abc"):reverse(), ("MiXeD"):upper(), ("MiXeD"):lower())
print(string.byte("ABC", 1, -1), string.char(72, 105))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")

-- A crude CSV splitter exercising frontier patterns and positions.
local function split(s, sep)
  local out, pos = {}, 1
  while true do
    local a, b = s:find(sep, pos, true)
    if not a then out[#out + 1] = s:sub(pos); return out end
    out[#out + 1] = s:sub(pos, a - 1)
    pos = b + 1
  end
end
local fields = split("alpha,beta,,delta,epsilon", ",")
print(#fields, table.concat(fields, "|"))
print(("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))

-- Build a large string piece by piece and hash it.
local parts = {}
for i = 1, 2000 do parts[i] = string.format("%04x", (i * 7919) % 65536) end
local big = table.concat(parts)
local h = 0
for i = 1, #big do h = (h * 31 + big:byte(i)) % 1000000007 end
print(#big, h)
print(select("#", big:byte(1, 50)), big:sub(-12), big:sub(100, 110))
