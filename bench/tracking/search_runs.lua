-- wrk script: POST runs/search with a metric + param filter, ordered by the metric, 100 per page.
-- args: EXPERIMENT_ID (seeded by bench.py with 1 000 runs)
local body
function init(args)
   body = '{"experiment_ids":["' .. args[1] .. '"],'
      .. '"filter":"metrics.acc > 0.2 AND params.model = \'m3\'",'
      .. '"order_by":["metrics.acc DESC"],"max_results":100,"run_view_type":"ACTIVE_ONLY"}'
end
function request()
   return wrk.format("POST", "/api/2.0/mlflow/runs/search", {["Content-Type"] = "application/json"}, body)
end
