-- wrk script: POST runs/create into one experiment.   args: EXPERIMENT_ID
local body
function init(args)
   body = string.format('{"experiment_id":"%s","user_id":"bench","start_time":%d,'
      .. '"tags":[{"key":"mlflow.user","value":"bench"},{"key":"mlflow.source.type","value":"LOCAL"}]}',
      args[1], os.time() * 1000)
end
function request()
   return wrk.format("POST", "/api/2.0/mlflow/runs/create", {["Content-Type"] = "application/json"}, body)
end
