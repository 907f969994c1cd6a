-- The request mix of WorkoutLoad, for wrk: 40% a user's progress (one getAll of 64 keys),
-- 35% their completed list (one listValues page), 20% recording a workout (one put),
-- 5% the program itself (no store call); 80% of requests go to the most active 20% of users.
-- WorkoutLoad fills in USERS and THINK_MS; done() prints one RESULT line it parses.
local users = USERS
local think_ms = THINK_MS
local hot = math.max(1, math.floor(users / 5))
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  rt_sum = 0
  rt_n = 0
  unknown = 0
  statuses = {}
end

local function user()
  local n
  if math.random(100) <= 80 then
    n = math.random(0, hot - 1)
  else
    n = hot + math.random(0, math.max(1, users - hot) - 1)
  end
  return string.format("athlete-%05d", n)
end

function request()
  local dice = math.random(100)
  local base = "/api/users/" .. user()
  if dice <= 40 then
    return wrk.format("GET", base .. "/progress")
  elseif dice <= 75 then
    return wrk.format("GET", base .. "/workouts/completed?limit=20")
  elseif dice <= 95 then
    local body = string.format('{"durationMinutes": %d, "notes": "load run"}', math.random(30, 90))
    return wrk.format("PUT", base .. "/workouts/" .. math.random(16) .. "/" .. math.random(4),
      {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/api/program")
end

function delay()
  if think_ms == 0 then
    return 0
  end
  -- Spread around the mean so that sessions do not march in step.
  return math.random(math.floor(think_ms / 2), math.floor(think_ms * 3 / 2))
end

function response(status, headers, body)
  if status >= 300 then
    statuses[status] = (statuses[status] or 0) + 1
  end
  local timing = headers["Server-Timing"]
  if timing then
    local rt = string.match(timing, 'store%-rt;desc="(%d+)"')
    if rt then
      rt_sum = rt_sum + tonumber(rt)
      rt_n = rt_n + 1
    end
    if string.find(timing, "store-unknown", 1, true) then
      unknown = unknown + 1
    end
  end
end

function done(summary, latency, requests)
  local rt_total, rt_count, unknown_total = 0, 0, 0
  local by_status = {}
  for _, t in ipairs(threads) do
    rt_total = rt_total + t:get("rt_sum")
    rt_count = rt_count + t:get("rt_n")
    unknown_total = unknown_total + t:get("unknown")
    for status, n in pairs(t:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local status_text = ""
  for status, n in pairs(by_status) do
    status_text = status_text .. string.format(" http_%d=%d", status, n)
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d"
    .. " connect=%d read=%d write=%d timeout=%d status=%d rt_sum=%d rt_n=%d unknown=%d%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status,
    rt_total, rt_count, unknown_total, status_text))
end
