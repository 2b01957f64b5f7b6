"""MlflowClient: metric history, lifecycle (delete/restore), renames, tags, and error behaviour."""

import time
import uuid

import mlflow
import pytest
from helpers import error_body, rest, run_ids, unique
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException


def test_get_metric_history_steps_and_timestamps(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    t0 = int(time.time() * 1000)
    points = [(0, t0, 1.0), (1, t0 + 10, 0.8), (2, t0 + 20, 0.5), (5, t0 + 30, 0.25)]
    for step, ts, value in points:
        client.log_metric(rid, "loss", value, timestamp=ts, step=step)
    hist = client.get_metric_history(rid, "loss")
    assert [(m.step, m.timestamp, m.value) for m in hist] == points
    assert all(m.key == "loss" for m in hist)
    # An older step logged later does not become the latest value (latest = max step, §3.2).
    client.log_metric(rid, "loss", 9.0, timestamp=t0 + 40, step=3)
    assert client.get_run(rid).data.metrics["loss"] == 0.25
    assert len(client.get_metric_history(rid, "loss")) == 5
    assert client.get_metric_history(rid, "missing") == []


def test_metric_history_same_step_many_values(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    t0 = int(time.time() * 1000)
    client.log_batch(rid, metrics=[Metric("m", float(i), t0 + i, 7) for i in range(50)])
    hist = client.get_metric_history(rid, "m")
    assert sorted(m.value for m in hist) == [float(i) for i in range(50)]
    assert {m.step for m in hist} == {7}
    # Same step: the later timestamp wins the "latest value".
    assert client.get_run(rid).data.metrics["m"] == 49.0


def test_log_batch_client_splits_large_batches(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    t0 = int(time.time() * 1000)
    metrics = [Metric("big", float(i), t0, i) for i in range(2500)]
    params = [Param(f"p{i}", str(i)) for i in range(150)]
    tags = [RunTag(f"t{i}", str(i)) for i in range(120)]
    client.log_batch(rid, metrics=metrics, params=params, tags=tags)
    hist = client.get_metric_history(rid, "big")
    assert sorted(m.step for m in hist) == list(range(2500))
    run = client.get_run(rid)
    assert run.data.metrics["big"] == 2499.0
    assert len(run.data.params) == 150 and run.data.params["p149"] == "149"
    assert all(run.data.tags[f"t{i}"] == str(i) for i in range(120))


def test_delete_and_restore_run(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    client.delete_run(rid)
    # runs/get still returns a deleted run, flagged.
    assert client.get_run(rid).info.lifecycle_stage == "deleted"
    assert rid not in run_ids(client.search_runs([exp_id]))
    assert rid in run_ids(client.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY))
    # A deleted run rejects writes.
    with pytest.raises(MlflowException) as e:
        client.log_param(rid, "k", "v")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    client.restore_run(rid)
    assert client.get_run(rid).info.lifecycle_stage == "active"
    assert rid in run_ids(client.search_runs([exp_id], run_view_type=ViewType.ACTIVE_ONLY))
    client.log_param(rid, "k", "v")
    assert client.get_run(rid).data.params == {"k": "v"}


def test_rename_experiment(client, exp_id, exp_name):
    new = exp_name + "-renamed"
    client.rename_experiment(exp_id, new)
    assert client.get_experiment(exp_id).name == new
    assert client.get_experiment_by_name(new).experiment_id == exp_id
    assert client.get_experiment_by_name(exp_name) is None


def test_rename_to_existing_name_fails(client, exp_id):
    other = unique("taken")
    client.create_experiment(other)
    with pytest.raises(MlflowException):
        client.rename_experiment(exp_id, other)


def test_delete_and_restore_experiment(client, exp_id, exp_name):
    rid = client.create_run(exp_id).info.run_id
    client.delete_experiment(exp_id)
    exp = client.get_experiment(exp_id)
    assert exp.lifecycle_stage == "deleted"
    # get-by-name also finds a deleted experiment.
    assert client.get_experiment_by_name(exp_name).lifecycle_stage == "deleted"
    # Deleting an experiment soft-deletes its runs (§2.1).
    assert client.get_run(rid).info.lifecycle_stage == "deleted"
    # A deleted experiment accepts no new runs.
    with pytest.raises(MlflowException):
        client.create_run(exp_id)
    # The name stays taken while the experiment is deleted.
    with pytest.raises(MlflowException) as e:
        client.create_experiment(exp_name)
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"
    client.restore_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "active"
    assert client.get_run(rid).info.lifecycle_stage == "active"


def test_set_experiment_refuses_deleted_experiment(client, exp_id, exp_name):
    client.delete_experiment(exp_id)
    with pytest.raises(MlflowException):
        mlflow.set_experiment(exp_name)


def test_rename_deleted_experiment_is_an_error(client, server, server_kind, exp_id):
    client.delete_experiment(exp_id)
    with pytest.raises(MlflowException):
        client.rename_experiment(exp_id, unique("nope"))
    # Wire level: the official server maps INVALID_STATE to 500 (a status the client retries);
    # MLFLOW_API.md §1.6 asks mixbit for a 400 instead. Server-specific on purpose.
    r = rest(server, "POST", "experiments/update", json={"experiment_id": exp_id, "new_name": unique("n")})
    if server_kind == "mlflow":
        assert r.status_code == 500
    else:
        assert r.status_code == 400
    assert error_body(r)["error_code"] == "INVALID_STATE"


def test_experiment_tags(client, exp_id):
    client.set_experiment_tag(exp_id, "team", "quant")
    client.set_experiment_tag(exp_id, "mlflow.note.content", "a description")
    client.set_experiment_tag(exp_id, "team", "quant-2")  # upsert
    tags = client.get_experiment(exp_id).tags
    assert tags["team"] == "quant-2" and tags["mlflow.note.content"] == "a description"
    client.delete_experiment_tag(exp_id, "team")
    assert "team" not in client.get_experiment(exp_id).tags
    with pytest.raises(MlflowException) as e:
        client.delete_experiment_tag(exp_id, "team")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_create_experiment_with_tags(client):
    name = unique("tagged")
    eid = client.create_experiment(name, tags={"a": "1", "b": "2"})
    exp = client.get_experiment(eid)
    assert exp.name == name and exp.tags == {"a": "1", "b": "2"}
    assert exp.artifact_location
    assert exp.creation_time and exp.last_update_time


def test_run_tags(client, exp_id):
    rid = client.create_run(exp_id, tags={"init": "yes"}).info.run_id
    client.set_tag(rid, "k", "v1")
    client.set_tag(rid, "k", "v2")  # tags are upserts
    tags = client.get_run(rid).data.tags
    assert tags["k"] == "v2" and tags["init"] == "yes"
    client.delete_tag(rid, "k")
    assert "k" not in client.get_run(rid).data.tags
    with pytest.raises(MlflowException) as e:
        client.delete_tag(rid, "k")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_get_experiment_by_name_missing_is_none(client):
    assert client.get_experiment_by_name(unique("never-created")) is None


def test_get_missing_things(client, server):
    with pytest.raises(MlflowException) as e:
        client.get_run(uuid.uuid4().hex)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        client.get_experiment("987654321")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    # The client needs a JSON error body on these 404s (§8 item 2), not a bare 404.
    r = rest(server, "GET", "experiments/get-by-name", params={"experiment_name": unique("none")})
    assert r.status_code == 404
    assert error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    r = rest(server, "GET", "runs/get", params={"run_id": uuid.uuid4().hex})
    assert r.status_code == 404
    assert error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_duplicate_experiment_name(client, exp_name, exp_id):
    with pytest.raises(MlflowException) as e:
        client.create_experiment(exp_name)
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"


def test_param_is_immutable(client, exp_name):
    mlflow.set_experiment(exp_name)
    with mlflow.start_run() as run:
        mlflow.log_param("lr", "0.1")
        mlflow.log_param("lr", "0.1")  # the same value again is a no-op
        with pytest.raises(MlflowException) as e:
            mlflow.log_param("lr", "0.2")
        assert e.value.error_code == "INVALID_PARAMETER_VALUE"
        with pytest.raises(MlflowException) as e:
            mlflow.log_params({"lr": "0.3", "other": "x"})
        assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run.info.run_id).data.params["lr"] == "0.1"


def test_log_batch_is_all_or_nothing(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    client.log_param(rid, "p", "original")
    t0 = int(time.time() * 1000)
    with pytest.raises(MlflowException) as e:
        client.log_batch(rid, metrics=[Metric("m", 1.0, t0, 0)], params=[Param("p", "changed")],
                         tags=[RunTag("t", "v")])
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    run = client.get_run(rid)
    assert run.data.params == {"p": "original"}
    assert "m" not in run.data.metrics
    assert "t" not in run.data.tags


def _batch(n_metrics=0, n_params=0, n_tags=0):
    t0 = int(time.time() * 1000)
    body = {}
    if n_metrics:
        body["metrics"] = [{"key": "m", "value": float(i), "timestamp": t0, "step": i} for i in range(n_metrics)]
    if n_params:
        body["params"] = [{"key": f"p{i}", "value": "v"} for i in range(n_params)]
    if n_tags:
        body["tags"] = [{"key": f"t{i}", "value": "v"} for i in range(n_tags)]
    return body


@pytest.mark.parametrize("shape,ok", [
    ((1000, 0, 0), True),
    ((1001, 0, 0), False),       # > 1000 metrics
    ((0, 100, 0), True),
    ((0, 101, 0), False),        # > 100 params
    ((0, 0, 100), True),
    ((0, 0, 101), False),        # > 100 tags
    ((900, 100, 0), True),
    ((901, 100, 0), False),      # > 1000 entities in total
])
def test_log_batch_limits(client, server, exp_id, shape, ok):
    # Raw HTTP: the client would split these batches itself and never hit the limits.
    rid = client.create_run(exp_id).info.run_id
    body = dict(_batch(*shape), run_id=rid)
    r = rest(server, "POST", "runs/log-batch", json=body)
    if ok:
        assert r.status_code == 200, r.text
        assert r.json() == {}
    else:
        assert r.status_code == 400, r.text
        assert error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
        # Rejected whole: nothing from the batch was stored.
        run = client.get_run(rid)
        assert not run.data.metrics and not run.data.params
        assert not [k for k in run.data.tags if not k.startswith("mlflow.")]


def test_log_batch_duplicate_param_keys_rejected(client, server, exp_id):
    rid = client.create_run(exp_id).info.run_id
    body = {"run_id": rid, "params": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]}
    r = rest(server, "POST", "runs/log-batch", json=body)
    assert r.status_code == 400
    assert error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"


@pytest.mark.parametrize("key", ["a//b", "./a", "a/", "/abs", "../up", "bad*char", "x" * 251])
def test_invalid_keys_rejected(client, exp_id, key):
    rid = client.create_run(exp_id).info.run_id
    with pytest.raises(MlflowException) as e:
        client.log_metric(rid, key, 1.0)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_long_param_and_tag_values_truncated_not_rejected(client, exp_id):
    # Truncation is the official default (MLFLOW_TRUNCATE_LONG_VALUES, §2.3); keys with odd but
    # allowed characters go through.
    rid = client.create_run(exp_id).info.run_id
    client.log_param(rid, "long param", "p" * 7000)
    client.set_tag(rid, "ns:long/tag-name.x", "t" * 9000)
    run = client.get_run(rid)
    assert run.data.params["long param"] == "p" * 6000
    assert run.data.tags["ns:long/tag-name.x"] == "t" * 8000


def test_search_logged_models_orders_by_latest_metric(client, exp_name):
    # logged-models/search order_by `metrics.<key>` (MLFLOW_API.md §4.4): each model's latest value, missing last.
    exp = mlflow.set_experiment(exp_name)
    with mlflow.start_run():
        for name, values in [("a", [0.9, 0.3]), ("b", [0.9]), ("c", [0.5]), ("d", [])]:
            model = mlflow.initialize_logged_model(name=name)
            for step, value in enumerate(values):
                mlflow.log_metric("acc", value, step=step, model_id=model.model_id)
    def names(ascending):
        models = mlflow.search_logged_models(
            experiment_ids=[exp.experiment_id], output_format="list",
            order_by=[{"field_name": "metrics.acc", "ascending": ascending}])
        return [m.name for m in models]
    assert names(False) == ["b", "c", "a", "d"]
    assert names(True) == ["a", "c", "b", "d"]


def test_search_logged_models_datasets_narrow_metric_filters(client, server_kind, exp_name):
    import numpy as np

    exp = mlflow.set_experiment(exp_name)
    evaluation = mlflow.data.from_numpy(np.arange(6), name="eval")
    training = mlflow.data.from_numpy(np.arange(4), name="train")
    with mlflow.start_run():
        for name, dataset in [("a", evaluation), ("b", training), ("c", None)]:
            model = mlflow.initialize_logged_model(name=name)
            if dataset is not None:
                mlflow.log_metric("acc", 0.9, model_id=model.model_id, dataset=dataset)

    def names(filter_string=None, datasets=None):
        models = mlflow.search_logged_models(
            experiment_ids=[exp.experiment_id], filter_string=filter_string, datasets=datasets, output_format="list")
        return sorted(m.name for m in models)

    on_eval = [{"dataset_name": "eval", "dataset_digest": evaluation.digest}]
    assert names("metrics.acc > 0.5") == ["a", "b"]
    assert names("metrics.acc > 0.5", on_eval) == ["a"]
    assert names("metrics.acc > 0.95", on_eval) == []
    assert names(None, on_eval) == ["a"]
    assert names(None, [{"dataset_name": "eval", "dataset_digest": "not-it"}]) == []
    # The client documents dataset_digest as optional. MLflow's server 3.17.2 still compares the absent digest
    # (as "") and matches nothing; mixbit matches the dataset by name alone.
    by_name = names(None, [{"dataset_name": "train"}])
    assert by_name == ([] if server_kind == "mlflow" else ["b"])
