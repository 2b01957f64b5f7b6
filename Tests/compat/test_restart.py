"""What the server acknowledged survives a SIGKILL and a restart on the same database (DESIGN.md)."""

import hashlib
import math
import os

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient


# Two extra start-ups of mlflow server cost about a minute on a busy 2-core box; the test passed there
# when it was written, and COMPAT_SLOW=1 runs it again.
@pytest.mark.skipif(os.environ.get("COMPAT_SERVER") == "mlflow" and not os.environ.get("COMPAT_SLOW"),
                    reason="slow against mlflow server (COMPAT_SLOW=1 to run)")
def test_acknowledged_writes_survive_kill_9(private_server, tmp_path):
    client = MlflowClient(private_server.uri)
    exp = client.create_experiment("durable", tags={"k": "v"})
    run = client.create_run(exp, run_name="before-crash")
    rid = run.info.run_id
    client.log_batch(rid, metrics=[Metric("m", float(i), 1700000000000 + i, i) for i in range(200)],
                     params=[Param("p", "1")], tags=[RunTag("t", "x")])
    client.log_metric(rid, "nan", math.nan)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    client.log_artifact(rid, str(blob))
    client.set_terminated(rid, "FINISHED")
    deleted = client.create_run(exp).info.run_id
    client.delete_run(deleted)

    private_server.kill()
    client = MlflowClient(private_server.start())  # same database and artifacts, new port

    got = client.get_run(rid)
    assert got.info.status == "FINISHED" and got.info.run_name == "before-crash"
    assert got.data.params == {"p": "1"} and got.data.tags["t"] == "x"
    assert got.data.metrics["m"] == 199.0 and math.isnan(got.data.metrics["nan"])
    assert sorted(m.step for m in client.get_metric_history(rid, "m")) == list(range(200))
    assert client.get_experiment_by_name("durable").tags == {"k": "v"}
    assert client.get_run(deleted).info.lifecycle_stage == "deleted"
    out = mlflow.artifacts.download_artifacts(artifact_uri=f"{got.info.artifact_uri}/blob.bin",
                                              tracking_uri=private_server.uri, dst_path=str(tmp_path / "dl"))
    assert hashlib.sha256(open(out, "rb").read()).digest() == hashlib.sha256(blob.read_bytes()).digest()
    # The restarted server keeps allocating: new experiment ids do not collide with old ones.
    assert client.create_experiment("after-restart") != exp
