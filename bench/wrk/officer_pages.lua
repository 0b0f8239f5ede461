-- wrk: the officer's list of submitted applications, walking pages 1..PAGES in turn (filter + sort + page).
dofile("bench/wrk/report.lua")

local pages = tonumber(os.getenv("BENCH_OFFICER_PAGES") or "100")
local path = os.getenv("BENCH_OFFICER_PATH") or "/astana/officer/applications?status=submitted&page="
local page = 0

request = function()
  page = page % pages + 1
  return wrk.format("GET", path .. page)
end
