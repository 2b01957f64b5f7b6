-- wrk script: POST runs/log-batch of N metrics (one key, N consecutive steps) to one run.
-- args: RUN_ID THREADS N.  Each request covers fresh steps, so no point is a duplicate.
local next_tid = 0
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
end
local run_id, nthreads, per, n, t0
function init(args)
   run_id, nthreads, per, n, t0 = args[1], tonumber(args[2]), tonumber(args[3]), 0, os.time() * 1000
end
function request()
   n = n + 1
   local base = (n * nthreads + tid) * per
   local parts = {}
   for i = 0, per - 1 do
      local step = base + i
      parts[#parts + 1] = string.format('{"key":"acc","value":%.9g,"timestamp":%d,"step":%d}',
         1 / (step + 1), t0 + step, step)
   end
   local body = '{"run_id":"' .. run_id .. '","metrics":[' .. table.concat(parts, ",") .. ']}'
   return wrk.format("POST", "/api/2.0/mlflow/runs/log-batch", {["Content-Type"] = "application/json"}, body)
end
