-- wrk script: POST runs/log-metric to one run; every request a new step (no duplicate points).
-- args: RUN_ID THREADS.  Steps interleave across wrk threads: step = n * THREADS + thread index.
local next_tid = 0
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
end
local run_id, nthreads, n, t0
function init(args)
   run_id, nthreads, n, t0 = args[1], tonumber(args[2]), 0, os.time() * 1000
end
function request()
   n = n + 1
   local step = n * nthreads + tid
   local body = string.format('{"run_id":"%s","key":"loss","value":%.9g,"timestamp":%d,"step":%d}',
      run_id, 1 / step, t0 + step, step)
   return wrk.format("POST", "/api/2.0/mlflow/runs/log-metric", {["Content-Type"] = "application/json"}, body)
end
