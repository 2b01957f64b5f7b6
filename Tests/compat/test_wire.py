"""Wire-level details the client relies on (MLFLOW_API.md §1, §3, §5, §8), checked with raw HTTP.

These pin down what the Python client would otherwise paper over or only hit in rarer code paths.
"""

import time
import uuid

import requests
from helpers import error_body, rest

ART = "/api/2.0/mlflow-artifacts/artifacts"


def _run(server, exp_id, **extra):
    body = {"experiment_id": exp_id, "start_time": int(time.time() * 1000), **extra}
    r = rest(server, "POST", "runs/create", json=body)
    assert r.status_code == 200, r.text
    return r.json()["run"]


def test_run_shape(server, exp_id):
    run = _run(server, exp_id, run_name="shape")
    info = run["info"]
    # Both ids, always; status and lifecycle_stage always present (a missing status reads RUNNING).
    assert info["run_id"] == info["run_uuid"] and len(info["run_id"]) == 32
    assert info["status"] == "RUNNING" and info["lifecycle_stage"] == "active"
    assert info["experiment_id"] == exp_id and info["run_name"] == "shape"
    assert isinstance(info["start_time"], int)  # int64 as a JSON number, not a string
    assert "end_time" not in info or not info["end_time"]
    assert info["artifact_uri"] == f"mlflow-artifacts:/{exp_id}/{info['run_id']}/artifacts"
    assert {"key": "mlflow.runName", "value": "shape"} in run["data"]["tags"]


def test_experiment_shape(server, exp_id, exp_name):
    r = rest(server, "GET", "experiments/get", params={"experiment_id": exp_id})
    exp = r.json()["experiment"]
    assert exp["experiment_id"] == exp_id and exp["name"] == exp_name
    assert exp["lifecycle_stage"] == "active"
    assert exp["artifact_location"] == f"mlflow-artifacts:/{exp_id}"
    assert isinstance(exp["creation_time"], int) and isinstance(exp["last_update_time"], int)


def test_legacy_run_uuid_and_both_ids(server, exp_id):
    rid = _run(server, exp_id)["info"]["run_id"]
    for params in ({"run_uuid": rid}, {"run_id": rid}, {"run_id": rid, "run_uuid": rid}):
        r = rest(server, "GET", "runs/get", params=params)
        assert r.status_code == 200 and r.json()["run"]["info"]["run_id"] == rid, params
    r = rest(server, "POST", "runs/log-metric",
             json={"run_uuid": rid, "key": "m", "value": 1.0, "timestamp": 5, "step": 0})
    assert r.status_code == 200, r.text


def test_int64_as_strings_and_enums_as_numbers(server, exp_id):
    rid = _run(server, exp_id)["info"]["run_id"]
    r = rest(server, "POST", "runs/log-metric",
             json={"run_id": rid, "key": "m", "value": 2.5, "timestamp": "1700000000123", "step": "7"})
    assert r.status_code == 200, r.text
    r = rest(server, "POST", "runs/update", json={"run_id": rid, "status": 3, "end_time": "1700000009999"})
    assert r.status_code == 200, r.text
    assert r.json()["run_info"]["status"] == "FINISHED"
    assert r.json()["run_info"]["end_time"] == 1700000009999
    (m,) = rest(server, "GET", "runs/get", params={"run_id": rid}).json()["run"]["data"]["metrics"]
    assert m == {"key": "m", "value": 2.5, "timestamp": 1700000000123, "step": 7}


def test_unknown_request_fields_ignored(server, exp_id):
    run = _run(server, exp_id, some_future_field={"x": 1})
    assert run["info"]["status"] == "RUNNING"


def test_nan_is_the_string_nan_on_the_wire(server, exp_id):
    rid = _run(server, exp_id)["info"]["run_id"]
    metrics = [{"key": "n", "value": "NaN", "timestamp": 1, "step": 0},
               {"key": "p", "value": "Infinity", "timestamp": 1, "step": 0},
               {"key": "q", "value": "-Infinity", "timestamp": 1, "step": 0}]
    assert rest(server, "POST", "runs/log-batch", json={"run_id": rid, "metrics": metrics}).status_code == 200
    raw = rest(server, "GET", "runs/get", params={"run_id": rid}).json()["run"]["data"]["metrics"]
    got = {m["key"]: m["value"] for m in raw}
    assert got["n"] == "NaN"
    # mlflow clamps to ±1.7976931348623157e308 (a number); "Infinity" is the documented alternative.
    assert got["p"] in ("Infinity", 1.7976931348623157e308)
    assert got["q"] in ("-Infinity", -1.7976931348623157e308)


def test_runs_create_name_and_tag_conflict(server, exp_id):
    r = rest(server, "POST", "runs/create", json={
        "experiment_id": exp_id, "run_name": "a", "tags": [{"key": "mlflow.runName", "value": "b"}]})
    assert r.status_code == 400
    assert error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
    # The tag alone names the run.
    run = _run(server, exp_id, tags=[{"key": "mlflow.runName", "value": "from-tag"}])
    assert run["info"]["run_name"] == "from-tag"


def test_create_run_in_deleted_or_missing_experiment(server, client, exp_id):
    client.delete_experiment(exp_id)
    r = rest(server, "POST", "runs/create", json={"experiment_id": exp_id})
    assert r.status_code == 400
    assert error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
    r = rest(server, "POST", "runs/create", json={"experiment_id": "987654321"})
    assert r.status_code == 404
    assert error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_delete_deleted_and_restore_active_experiment_are_404(server, exp_id):
    r = rest(server, "POST", "experiments/restore", json={"experiment_id": exp_id})
    assert r.status_code == 404 and error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    assert rest(server, "POST", "experiments/delete", json={"experiment_id": exp_id}).status_code == 200
    r = rest(server, "POST", "experiments/delete", json={"experiment_id": exp_id})
    assert r.status_code == 404 and error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_create_experiment_bad_names(server):
    r = rest(server, "POST", "experiments/create", json={"name": ""})
    assert r.status_code == 400 and error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
    r = rest(server, "POST", "experiments/create", json={})
    assert r.status_code == 400 and error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"


def test_search_limits_and_bad_page_token(server, exp_id):
    r = rest(server, "POST", "runs/search", json={"experiment_ids": [exp_id], "max_results": 50001})
    assert r.status_code == 400 and error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
    r = rest(server, "POST", "runs/search", json={"experiment_ids": [exp_id], "page_token": "not a token!"})
    assert r.status_code == 400 and error_body(r)["error_code"] == "INVALID_PARAMETER_VALUE"
    # No more pages: no token (or an empty one).
    r = rest(server, "POST", "runs/search", json={"experiment_ids": [exp_id], "max_results": 10})
    assert r.status_code == 200 and not r.json().get("next_page_token")
    assert r.json().get("runs", []) == []


def test_metric_history_paging(server, exp_id):
    rid = _run(server, exp_id)["info"]["run_id"]
    metrics = [{"key": "h", "value": float(s), "timestamp": 1000 + s, "step": s} for s in range(5)]
    rest(server, "POST", "runs/log-batch", json={"run_id": rid, "metrics": metrics})
    seen, token, pages = [], None, 0
    while True:
        params = {"run_id": rid, "metric_key": "h", "max_results": 2}
        if token:
            params["page_token"] = token
        body = rest(server, "GET", "metrics/get-history", params=params).json()
        pages += 1
        seen.extend(m["step"] for m in body.get("metrics", []))
        token = body.get("next_page_token")
        if not token:
            break
        assert pages < 10
    assert seen == [0, 1, 2, 3, 4] and pages == 3
    # Without max_results: everything, no token.
    body = rest(server, "GET", "metrics/get-history", params={"run_id": rid, "metric_key": "h"}).json()
    assert len(body["metrics"]) == 5 and not body.get("next_page_token")
    # Unknown run: MLFLOW_API.md §2.5 says 404, but mlflow 3.17.2 answers 200 with no metrics (its
    # SQL store never checks that the run exists). Either is accepted; a 404 must carry the JSON body.
    r = rest(server, "GET", "metrics/get-history", params={"run_id": uuid.uuid4().hex, "metric_key": "h"})
    if r.status_code == 200:
        assert r.json().get("metrics", []) == []
    else:
        assert r.status_code == 404 and error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_exact_duplicate_metric_is_stored_once(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    for _ in range(3):
        client.log_metric(rid, "dup", 0.5, timestamp=1700000000000, step=1)
    client.log_metric(rid, "dup", 0.6, timestamp=1700000000000, step=1)
    assert sorted(m.value for m in client.get_metric_history(rid, "dup")) == [0.5, 0.6]


def test_artifact_wire_behaviour(server, exp_id):
    rid = _run(server, exp_id)["info"]["run_id"]
    root = f"{server}{ART}/{exp_id}/{rid}/artifacts"
    # Upload with a non-JSON content type and a space in the name (percent-encoded by requests).
    r = requests.put(f"{root}/dir/my file.txt", data=b"hello", headers={"Content-Type": "text/plain"}, timeout=30)
    assert 200 <= r.status_code < 300, r.text
    r = requests.get(f"{root}/dir/my file.txt", timeout=30)
    assert r.status_code == 200 and r.content == b"hello"
    listing = requests.get(f"{server}{ART}", params={"path": f"{exp_id}/{rid}/artifacts/dir"}, timeout=30)
    assert listing.status_code == 200
    assert listing.json()["files"] == [{"path": "my file.txt", "is_dir": False, "file_size": 5}]
    top = requests.get(f"{server}{ART}", params={"path": f"{exp_id}/{rid}/artifacts"}, timeout=30).json()
    (d,) = top["files"]
    assert d["path"] == "dir" and d["is_dir"] is True and "file_size" not in d
    # Listing a file or a missing path: 200 and no entries.
    for p in ("dir/my file.txt", "nowhere"):
        r = requests.get(f"{server}{ART}", params={"path": f"{exp_id}/{rid}/artifacts/{p}"}, timeout=30)
        assert r.status_code == 200 and r.json().get("files", []) == [], (p, r.text)
    # A missing file: 404 with an MLflow error body.
    r = requests.get(f"{root}/missing.txt", timeout=30)
    assert r.status_code == 404 and error_body(r)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_artifact_path_traversal_rejected(server, exp_id, tmp_path):
    rid = _run(server, exp_id)["info"]["run_id"]
    # Percent-encoded so neither requests nor urllib3 folds the dot segments away before sending.
    url = f"{server}{ART}/{exp_id}/{rid}/artifacts/%2E%2E/%2E%2E/escape.txt"
    r = requests.put(url, data=b"x", timeout=30)
    assert r.status_code == 400, (r.status_code, r.text)
    r = requests.get(f"{server}{ART}", params={"path": f"{exp_id}/../../etc"}, timeout=30)
    assert r.status_code == 400, (r.status_code, r.text)
