"""The fluent API (mlflow.*) end to end: experiments, runs, logging, artifacts, datasets, models."""

import json
import math

import mlflow
import pandas as pd
from helpers import is_inf_roundtrip, unique


def test_set_experiment_creates_then_reuses(client, exp_name):
    exp = mlflow.set_experiment(exp_name)
    assert exp.name == exp_name
    assert exp.lifecycle_stage == "active"
    again = mlflow.set_experiment(exp_name)
    assert again.experiment_id == exp.experiment_id
    assert client.get_experiment_by_name(exp_name).experiment_id == exp.experiment_id


def test_run_lifecycle_and_logging(client, exp_name):
    exp = mlflow.set_experiment(exp_name)
    with mlflow.start_run(run_name="r1") as run:
        run_id = run.info.run_id
        assert run.info.status == "RUNNING"
        assert run.info.experiment_id == exp.experiment_id
        mlflow.log_param("lr", 0.1)
        mlflow.log_params({"a": 1, "b": "x"})
        mlflow.log_metric("loss", 0.5, step=1)
        mlflow.log_metrics({"acc": 0.9, "f1": 0.8}, step=2)
        mlflow.set_tag("t", "v")
        mlflow.set_tags({"t2": "v2", "empty": ""})
    got = client.get_run(run_id)
    assert got.info.status == "FINISHED"
    assert got.info.end_time is not None and got.info.end_time >= got.info.start_time
    assert got.info.run_name == "r1"
    assert got.info.lifecycle_stage == "active"
    # Params are strings on the wire whatever Python type was logged.
    assert got.data.params == {"lr": "0.1", "a": "1", "b": "x"}
    assert got.data.metrics == {"loss": 0.5, "acc": 0.9, "f1": 0.8}
    assert got.data.tags["t"] == "v" and got.data.tags["t2"] == "v2" and got.data.tags["empty"] == ""
    # Tags the client sets on create, and the one the server adds for the name.
    for key in ("mlflow.user", "mlflow.source.name", "mlflow.source.type"):
        assert key in got.data.tags
    assert got.data.tags["mlflow.runName"] == "r1"
    assert got.info.artifact_uri.endswith(f"{run_id}/artifacts")


def test_end_run_with_status(client, exp_name):
    mlflow.set_experiment(exp_name)
    run = mlflow.start_run()
    mlflow.end_run(status="FAILED")
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_resume_run_and_log_to_finished_run(client, exp_name):
    mlflow.set_experiment(exp_name)
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0, step=0)
    # Resuming sends runs/update RUNNING; logging to a FINISHED run is allowed either way (§2.2).
    with mlflow.start_run(run_id=run.info.run_id):
        assert client.get_run(run.info.run_id).info.status == "RUNNING"
        mlflow.log_metric("m", 2.0, step=1)
    client.log_param(run.info.run_id, "after", "finished")
    got = client.get_run(run.info.run_id)
    assert got.info.status == "FINISHED"
    assert got.data.metrics["m"] == 2.0
    assert got.data.params["after"] == "finished"


def test_nested_runs(client, exp_name):
    exp = mlflow.set_experiment(exp_name)
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child-1", nested=True) as c1:
            mlflow.log_metric("x", 1)
        with mlflow.start_run(run_name="child-2", nested=True) as c2:
            mlflow.log_metric("x", 2)
        assert mlflow.active_run().info.run_id == parent.info.run_id
    for child in (c1, c2):
        got = client.get_run(child.info.run_id)
        assert got.data.tags["mlflow.parentRunId"] == parent.info.run_id
        assert got.info.status == "FINISHED"
    children = client.search_runs([exp.experiment_id],
                                  f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    assert {r.info.run_id for r in children} == {c1.info.run_id, c2.info.run_id}


def test_nan_and_infinity_round_trip(client, exp_name):
    mlflow.set_experiment(exp_name)
    with mlflow.start_run() as run:
        mlflow.log_metric("nan", float("nan"))
        mlflow.log_metrics({"pinf": float("inf"), "ninf": float("-inf")})
        mlflow.log_metric("finite", 1.5)
    m = client.get_run(run.info.run_id).data.metrics
    assert math.isnan(m["nan"])
    assert is_inf_roundtrip(m["pinf"], +1), m["pinf"]
    assert is_inf_roundtrip(m["ninf"], -1), m["ninf"]
    assert m["finite"] == 1.5
    hist = client.get_metric_history(run.info.run_id, "nan")
    assert len(hist) == 1 and math.isnan(hist[0].value)
    hist = client.get_metric_history(run.info.run_id, "ninf")
    assert len(hist) == 1 and is_inf_roundtrip(hist[0].value, -1)


def test_run_name_and_tag_stay_in_sync(client, exp_id):
    run = client.create_run(exp_id, run_name="first")
    rid = run.info.run_id
    assert run.info.run_name == "first"
    assert run.data.tags["mlflow.runName"] == "first"
    # set-tag mlflow.runName → RunInfo.run_name
    client.set_tag(rid, "mlflow.runName", "second")
    assert client.get_run(rid).info.run_name == "second"
    # runs/update run_name → tag
    client.update_run(rid, name="third")
    got = client.get_run(rid)
    assert got.info.run_name == "third" and got.data.tags["mlflow.runName"] == "third"
    # log-batch carrying the tag → RunInfo.run_name
    from mlflow.entities import RunTag
    client.log_batch(rid, tags=[RunTag("mlflow.runName", "fourth")])
    got = client.get_run(rid)
    assert got.info.run_name == "fourth" and got.data.tags["mlflow.runName"] == "fourth"
    assert [r.info.run_id for r in client.search_runs([exp_id], "attributes.run_name = 'fourth'")] == [rid]


def test_server_generates_a_run_name(client, exp_id):
    run = client.create_run(exp_id)
    assert run.info.run_name, "a run created without a name gets a generated one"
    assert run.data.tags["mlflow.runName"] == run.info.run_name


def test_run_in_default_experiment(client):
    with mlflow.start_run(experiment_id="0") as run:
        mlflow.log_param("where", "default")
    got = client.get_run(run.info.run_id)
    assert got.info.experiment_id == "0"
    assert got.data.params == {"where": "default"}


def test_log_artifact_text_dict(client, exp_name, tmp_path):
    mlflow.set_experiment(exp_name)
    src = tmp_path / "hello.txt"
    src.write_text("hello world\n")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(src))
        mlflow.log_artifact(str(src), artifact_path="copies")
        mlflow.log_text("some text", "notes/readme.md")
        mlflow.log_dict({"a": 1, "nested": {"b": [1, 2]}}, "config/conf.json")
    rid = run.info.run_id
    top = {f.path: f for f in client.list_artifacts(rid)}
    assert set(top) == {"hello.txt", "copies", "notes", "config"}
    assert not top["hello.txt"].is_dir and top["hello.txt"].file_size == len("hello world\n")
    assert top["copies"].is_dir and top["notes"].is_dir
    assert mlflow.artifacts.load_text(f"runs:/{rid}/notes/readme.md") == "some text"
    assert mlflow.artifacts.load_dict(f"runs:/{rid}/config/conf.json") == {"a": 1, "nested": {"b": [1, 2]}}
    local = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="copies/hello.txt",
                                                dst_path=str(tmp_path / "dl"))
    assert open(local).read() == "hello world\n"


def test_log_artifacts_directory_and_listing(client, exp_id, tmp_path):
    src = tmp_path / "tree"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "a.txt").write_text("a")
    (src / "sub" / "b.bin").write_bytes(b"\x00\x01\x02")
    (src / "sub" / "deeper" / "c.json").write_text(json.dumps({"c": 3}))
    run = client.create_run(exp_id)
    rid = run.info.run_id
    client.log_artifacts(rid, str(src), artifact_path="d")
    assert [(f.path, f.is_dir) for f in client.list_artifacts(rid)] == [("d", True)]
    level1 = {f.path: f for f in client.list_artifacts(rid, "d")}
    assert set(level1) == {"d/a.txt", "d/sub"}
    assert level1["d/a.txt"].file_size == 1 and not level1["d/a.txt"].is_dir
    assert level1["d/sub"].is_dir
    level2 = {f.path: f for f in client.list_artifacts(rid, "d/sub")}
    assert set(level2) == {"d/sub/b.bin", "d/sub/deeper"}
    assert level2["d/sub/b.bin"].file_size == 3
    # Listing a file or a missing path is an empty list, not an error (§5.3).
    assert client.list_artifacts(rid, "d/a.txt") == []
    assert client.list_artifacts(rid, "nope") == []
    # Whole-tree download reproduces the tree.
    out = mlflow.artifacts.download_artifacts(run_id=rid, dst_path=str(tmp_path / "out"))
    assert (tmp_path / "out" / "d" / "sub" / "deeper" / "c.json").read_text() == json.dumps({"c": 3})
    assert out.rstrip("/").endswith("out")


def test_log_input_pandas_dataset(client, exp_name):
    mlflow.set_experiment(exp_name)
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
    ds = mlflow.data.from_pandas(df, name="train-df", targets="y")
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    got = inputs[0]
    assert got.dataset.name == "train-df"
    assert got.dataset.digest == ds.digest
    assert got.dataset.source_type == "code"
    assert json.loads(got.dataset.schema) == json.loads(ds.to_dict()["schema"])
    assert {t.key: t.value for t in got.tags} == {"mlflow.data.context": "training"}


class AddN(mlflow.pyfunc.PythonModel):
    """Adds n to every input value: small enough to pickle, real enough to check predict()."""

    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input, params=None):
        return model_input + self.n


def test_pyfunc_log_and_load_model(client, exp_name):
    mlflow.set_experiment(exp_name)
    with mlflow.start_run() as run:
        mlflow.log_metric("quality", 0.75)
        # Explicit requirements: skips the client's requirement inference (a slow subprocess).
        info = mlflow.pyfunc.log_model(name="model", python_model=AddN(3), pip_requirements=["mlflow"])
    assert info.model_uri.startswith("models:/")
    df = pd.DataFrame({"v": [1.0, 2.5]})
    for uri in (info.model_uri, f"runs:/{run.info.run_id}/model"):
        model = mlflow.pyfunc.load_model(uri)
        pd.testing.assert_frame_equal(model.predict(df), pd.DataFrame({"v": [4.0, 5.5]}))
    logged = mlflow.get_logged_model(info.model_id)
    assert logged.status == "READY" or str(logged.status).endswith("READY")
    assert logged.source_run_id == run.info.run_id
    outputs = client.get_run(run.info.run_id).outputs.model_outputs
    assert [o.model_id for o in outputs] == [info.model_id]


def test_register_model_and_load_by_version_and_alias(client, exp_name):
    mlflow.set_experiment(exp_name)
    name = unique("reg")
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=AddN(10), pip_requirements=["mlflow"],
                                       registered_model_name=name)
    assert str(info.registered_model_version) == "1"
    version = client.get_model_version(name, "1")
    assert version.status == "READY"
    client.set_registered_model_alias(name, "champion", "1")
    df = pd.DataFrame({"v": [1.0]})
    for uri in (f"models:/{name}/1", f"models:/{name}@champion"):
        pd.testing.assert_frame_equal(mlflow.pyfunc.load_model(uri).predict(df), pd.DataFrame({"v": [11.0]}))
