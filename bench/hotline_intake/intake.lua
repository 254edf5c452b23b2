-- wrk script for bench/hotline_intake/run.py.
--   wrk -t1 -c8 -d10s -s intake.lua http://127.0.0.1:PORT/open311/v2/requests.json \
--     -- bodies.txt 'application/x-www-form-urlencoded; charset=utf-8' numbers.txt [cookie] [csrf]
-- POSTs the bodies of the file (one a line, cycling) with the content type; without a file
-- ("-"), GETs the URL itself (the trivial endpoint). Every answer is written to the numbers
-- file: the ticket number of a 201 (`service_request_id`, or `number` for the staff API), else
-- "status <code>", so that run.py can find each answered ticket in the database. `done` prints
-- one JSON line with the counts and latency percentiles (microseconds).

local bodies = {}
local count = 0
local at = 0
local headers = {}
local out = nil

function init(args)
  local file = args[1]
  if file ~= nil and file ~= "-" then
    for line in io.lines(file) do
      if line ~= "" then
        count = count + 1
        bodies[count] = line
      end
    end
    headers["Content-Type"] = args[2]
  end
  if args[3] ~= nil and args[3] ~= "-" then
    out = io.open(args[3], "a")
    out:setvbuf("line")
  end
  if args[4] ~= nil and args[4] ~= "-" then
    headers["Cookie"] = args[4]
  end
  if args[5] ~= nil and args[5] ~= "-" then
    headers["X-CSRFToken"] = args[5]
  end
end

function request()
  if count == 0 then
    return wrk.format("GET")
  end
  at = at % count + 1
  return wrk.format("POST", nil, headers, bodies[at])
end

function response(status, _, body)
  if out == nil then
    return
  end
  if status == 201 then
    local number = string.match(body, '"service_request_id"%s*:%s*"(%d+)"')
      or string.match(body, '"number"%s*:%s*"(%d+)"')
    out:write(number or "?", "\n")
  else
    out:write("status ", status, "\n")
  end
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
