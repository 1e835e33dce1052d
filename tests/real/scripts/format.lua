-- string.format, number conversions, integer/float arithmetic and the
-- math library (seeded, so random numbers repeat).
print(string.format("%5d|%-5d|%05d|%+d|%x|%X|%o", 42, 42, 42, 42, 255, 255, 8))
print(string.format("%.3f|%10.2f|%-10.1e|%g|%g|%a", math.pi, -2.5, 12345.678, 1e20, 0.1, 1.0))
print(string.format("%s|%10s|%-10s|%.2s|%q|%q|%q", "x", "right", "left", "cut", "a\nb\0c", 1/3, math.mininteger))
print(string.format("%c%c%c|%%|%i", 76, 117, 97, 7))
print(7 // 2, 7 % -3, -7 // 2, 7 / 2, 2^10, 7.5 // 2, -0.0 == 0.0)
print(math.maxinteger + 1 == math.mininteger, math.maxinteger // -1, 1 << 62, 0xff >> 4, ~0, 5 & 3, 5 | 3, 5 ~ 3)
print(math.floor(-3.5), math.ceil(-3.5), math.abs(math.mininteger), math.fmod(7, -3), math.tointeger(3.0))
print(math.max(3, 9, -1), math.min(3, 9, -1), math.ult(1, -1), math.huge > 0, -math.huge < 0)
print(string.format("%.6f %.6f %.6f %.6f", math.sin(1), math.cos(1), math.sqrt(2), math.log(100, 10)))
print(string.format("%.6f %.6f", math.exp(1), math.atan(1, 2)))
print(3 == 3.0, math.type(3), math.type(3.0), math.type("3"), 10 // 0.0, -10 % math.huge)
print(tostring(1e15), tostring(1e16), tostring(2^53), tostring(-0.0), 1e308 * 10)
print("10" + 5, "3" * "4", 10 .. 20, "0x10" + 0, pcall(function() return "a" + 1 end))

math.randomseed(12345)
local r = {}
for i = 1, 10 do r[i] = math.random(1, 100) end
print(table.concat(r, " "))
local f = math.random()
print(f >= 0 and f < 1, math.random(5) <= 5)
