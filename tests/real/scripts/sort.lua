-- table.sort with default and custom comparators over numbers, strings
-- and records, plus a hand-written merge sort to check against.
math.randomseed(2024)
local nums = {}
for i = 1, 3000 do nums[i] = math.random(-100000, 100000) end
local copy = table.move(nums, 1, #nums, 1, {})

local function merge_sort(a, lo, hi, tmp)
  if hi - lo < 1 then return end
  local mid = (lo + hi) // 2
  merge_sort(a, lo, mid, tmp); merge_sort(a, mid + 1, hi, tmp)
  local i, j, k = lo, mid + 1, lo
  while i <= mid and j <= hi do
    if a[j] < a[i] then tmp[k] = a[j]; j = j + 1 else tmp[k] = a[i]; i = i + 1 end
    k = k + 1
  end
  while i <= mid do tmp[k] = a[i]; i = i + 1; k = k + 1 end
  while j <= hi do tmp[k] = a[j]; j = j + 1; k = k + 1 end
  for x = lo, hi do a[x] = tmp[x] end
end

table.sort(nums)
merge_sort(copy, 1, #copy, {})
local same = true
for i = 1, #nums do same = same and nums[i] == copy[i] end
print(same, nums[1], nums[#nums], nums[1500])

table.sort(nums, function(a, b) return a > b end)
print(nums[1], nums[#nums])

local names = {"kiwi", "apple", "Banana", "cherry", "date", "Elder", "fig", "grape"}
table.sort(names)
print(table.concat(names, " "))
table.sort(names, function(a, b) return a:lower() < b:lower() end)
print(table.concat(names, " "))

local people = {}
for i = 1, 200 do people[i] = {age = (i * 37) % 90, id = i} end
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.id < b.id
end)
print(people[1].age, people[1].id, people[200].age, people[200].id)
print(pcall(table.sort, {3, 1, "x"}))
