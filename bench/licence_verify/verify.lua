-- wrk script for bench/licence_verify/run.py.
--   wrk -t1 -c8 -d10s -s verify.lua http://127.0.0.1:PORT/api/v1/licences/verify/ -- ids.txt
-- GETs <url path><identifier> for the identifiers in the file (one a line), each thread from its
-- own starting point; without a file, GETs the URL itself (the trivial endpoint). `done` prints
-- one JSON line with the counts and latency percentiles (microseconds) for run.py to read.

local paths = {}
local count = 0
local at = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local file = args[1]
  if file ~= nil then
    for line in io.lines(file) do
      if line ~= "" then
        count = count + 1
        paths[count] = wrk.path .. line
      end
    end
  end
  if count > 0 then
    at = ((thread_number or 1) - 1) * math.floor(count / 7) % count
  end
end

function request()
  if count == 0 then
    return wrk.format("GET")
  end
  at = at % count + 1
  return wrk.format("GET", paths[at])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
      .. '"mean_us": %.1f, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
