"""The server starts, answers /health and serves the Default experiment."""

import urllib.request


def test_health(server):
    with urllib.request.urlopen(server + "/health", timeout=5) as r:
        assert r.status == 200


def test_default_experiment_exists(client):
    exp = client.get_experiment("0")
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    assert client.get_experiment_by_name("Default").experiment_id == "0"
