-- wrk: the requested path with a query parameter that never repeats (?...&n=1, 2, 3...), so the
-- public page cache never has the page: every request is rendered (the cost of a cache miss).
dofile("bench/wrk/report.lua")

local n = 0

request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", wrk.path .. sep .. "n=" .. n)
end
