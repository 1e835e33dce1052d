-- An uncaught error: the interpreter prints a traceback on stderr and
-- exits with status 1, from inside nested calls.
-- EXIT: 1
local function inner(n)
  if n == 0 then error("uncaught at the bottom") end
  return inner(n - 1) + 1
end
print("before the error")
io.stdout:flush()
inner(10)
print("never printed")
