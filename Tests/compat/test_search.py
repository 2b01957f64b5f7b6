"""runs/search and experiments/search through MlflowClient and mlflow.search_runs."""

import time

import mlflow
import pandas as pd
import pytest
from helpers import run_ids, unique
from mlflow.entities import ViewType


@pytest.fixture(scope="module")
def corpus(server):
    """Four runs with known params/tags/metrics/status in a fresh experiment (read-only for the tests).

    name   p       t       x     status     start_time
    alpha  adam    Red     0.9   FINISHED   base+1000
    beta   sgd     red     0.5   FINISHED   base+2000
    gamma  adamw   blue    0.1   RUNNING    base+3000
    delta  -       green   -     FAILED     base+4000
    """
    client = mlflow.tracking.MlflowClient(server)
    exp = client.create_experiment(unique("search"))
    base = int(time.time() * 1000) - 60_000
    rows = [("alpha", "adam", "Red", 0.9, "FINISHED"),
            ("beta", "sgd", "red", 0.5, "FINISHED"),
            ("gamma", "adamw", "blue", 0.1, None),
            ("delta", None, "green", None, "FAILED")]
    ids = {}
    for i, (name, p, t, x, status) in enumerate(rows):
        run = client.create_run(exp, run_name=name, start_time=base + 1000 * (i + 1))
        rid = run.info.run_id
        ids[name] = rid
        if p is not None:
            client.log_param(rid, "p", p)
        client.set_tag(rid, "t", t)
        if x is not None:
            client.log_metric(rid, "x", x)
        if status:
            client.set_terminated(rid, status)
    return {"client": client, "exp": exp, "ids": ids}


FILTERS = [
    ("metrics.x > 0.4", {"alpha", "beta"}),
    ("metrics.x <= 0.5", {"beta", "gamma"}),
    ("metric.x = 0.1", {"gamma"}),
    ("params.p = 'sgd'", {"beta"}),
    ("params.p != 'sgd'", {"alpha", "gamma"}),
    ("param.p = \"adam\"", {"alpha"}),
    ("tags.t = 'red'", {"beta"}),                     # = is case-sensitive
    ("tag.t = 'Red'", {"alpha"}),
    ("attributes.status = 'FINISHED'", {"alpha", "beta"}),
    ("status = 'RUNNING'", {"gamma"}),
    ("run_name = 'gamma'", {"gamma"}),
    ("attributes.run_name = 'delta'", {"delta"}),
    ("tags.mlflow.runName = 'beta'", {"beta"}),
    ("params.p LIKE 'adam%'", {"alpha", "gamma"}),
    ("params.p LIKE 'ADAM%'", set()),                 # LIKE is case-sensitive (§4.1)
    ("params.p ILIKE 'ADAM%'", {"alpha", "gamma"}),
    ("tags.t LIKE 'r%'", {"beta"}),
    ("tags.t ILIKE 'r%'", {"alpha", "beta"}),
    ("tags.t ILIKE '%e%'", {"alpha", "beta", "gamma", "delta"}),
    ("attributes.run_name LIKE '%a'", {"alpha", "beta", "gamma", "delta"}),
    ("metrics.x > 0.2 AND params.p LIKE 'adam%'", {"alpha"}),
    ("metrics.x >= 0.1 and attributes.status = 'FINISHED' AND tags.t ILIKE 'RED'", {"alpha", "beta"}),
    ("", {"alpha", "beta", "gamma", "delta"}),
]


@pytest.mark.parametrize("filter_string,expected", FILTERS, ids=[f or "<empty>" for f, _ in FILTERS])
def test_search_runs_filter(corpus, filter_string, expected):
    ids = corpus["ids"]
    runs = corpus["client"].search_runs([corpus["exp"]], filter_string)
    assert run_ids(runs) == {ids[n] for n in expected}


def test_search_runs_in_on_run_id(corpus):
    ids = corpus["ids"]
    flt = f"attributes.run_id IN ('{ids['alpha']}', '{ids['gamma']}')"
    assert run_ids(corpus["client"].search_runs([corpus["exp"]], flt)) == {ids["alpha"], ids["gamma"]}
    flt = f"attributes.run_id NOT IN ('{ids['alpha']}') AND metrics.x < 1"
    assert run_ids(corpus["client"].search_runs([corpus["exp"]], flt)) == {ids["beta"], ids["gamma"]}


def test_search_runs_order_by_metric_desc(corpus):
    ids = corpus["ids"]
    runs = corpus["client"].search_runs([corpus["exp"]], order_by=["metrics.x DESC"])
    # Runs lacking the metric sort last, for DESC as for ASC (§4.2).
    assert [r.info.run_id for r in runs] == [ids[n] for n in ("alpha", "beta", "gamma", "delta")]
    runs = corpus["client"].search_runs([corpus["exp"]], order_by=["metrics.x ASC"])
    assert [r.info.run_id for r in runs] == [ids[n] for n in ("gamma", "beta", "alpha", "delta")]


def test_search_runs_order_by_start_time(corpus):
    ids = corpus["ids"]
    names = ["alpha", "beta", "gamma", "delta"]
    asc = corpus["client"].search_runs([corpus["exp"]], order_by=["attributes.start_time ASC"])
    assert [r.info.run_id for r in asc] == [ids[n] for n in names]
    # The default order is start_time DESC.
    default = corpus["client"].search_runs([corpus["exp"]])
    assert [r.info.run_id for r in default] == [ids[n] for n in reversed(names)]


def test_search_runs_order_by_param_and_name(corpus):
    ids = corpus["ids"]
    runs = corpus["client"].search_runs([corpus["exp"]], "params.p != 'x'", order_by=["params.p DESC"])
    assert [r.info.run_id for r in runs] == [ids[n] for n in ("beta", "gamma", "alpha")]
    runs = corpus["client"].search_runs([corpus["exp"]], order_by=["attributes.run_name ASC"])
    assert [r.info.run_id for r in runs] == [ids[n] for n in ("alpha", "beta", "delta", "gamma")]


def test_search_runs_results_carry_data(corpus):
    (run,) = corpus["client"].search_runs([corpus["exp"]], "run_name = 'alpha'")
    assert run.data.params == {"p": "adam"}
    assert run.data.metrics == {"x": 0.9}
    assert run.data.tags["t"] == "Red"
    assert run.info.status == "FINISHED"


def test_search_runs_bad_filter_is_invalid_parameter(corpus):
    from mlflow.exceptions import MlflowException
    for bad in ("metrics.x > 'high'", "params.p = 'a' OR params.p = 'b'", "params.p IN ('a')"):
        with pytest.raises(MlflowException) as e:
            corpus["client"].search_runs([corpus["exp"]], bad)
        assert e.value.error_code == "INVALID_PARAMETER_VALUE", bad


def test_search_runs_pagination(client, exp_id):
    base = int(time.time() * 1000)
    created = [client.create_run(exp_id, start_time=base + i).info.run_id for i in range(7)]
    seen, pages, token = [], [], None
    while True:
        page = client.search_runs([exp_id], max_results=3, page_token=token,
                                  order_by=["attributes.start_time ASC"])
        pages.append(len(page))
        seen.extend(r.info.run_id for r in page)
        token = page.token
        if not token:
            break
        assert len(pages) < 10, "paging does not terminate"
    assert pages == [3, 3, 1]
    assert seen == created


def test_search_runs_across_experiments(client):
    a = client.create_experiment(unique("multi"))
    b = client.create_experiment(unique("multi"))
    ra = client.create_run(a).info.run_id
    rb = client.create_run(b).info.run_id
    assert run_ids(client.search_runs([a, b])) == {ra, rb}
    assert run_ids(client.search_runs([b])) == {rb}


def test_search_runs_view_type(client, exp_id):
    keep = client.create_run(exp_id).info.run_id
    gone = client.create_run(exp_id).info.run_id
    client.delete_run(gone)
    assert run_ids(client.search_runs([exp_id])) == {keep}
    assert run_ids(client.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)) == {gone}
    assert run_ids(client.search_runs([exp_id], run_view_type=ViewType.ALL)) == {keep, gone}


def test_fluent_search_runs_dataframe(client, exp_name):
    exp = mlflow.set_experiment(exp_name)
    for i in range(3):
        with mlflow.start_run(run_name=f"df-{i}"):
            mlflow.log_metric("x", i * 1.5)
            mlflow.log_param("p", f"v{i}")
            mlflow.set_tag("t", "even" if i % 2 == 0 else "odd")
    df = mlflow.search_runs(experiment_ids=[exp.experiment_id])
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 3
    for col in ("run_id", "experiment_id", "status", "start_time", "end_time", "artifact_uri",
                "metrics.x", "params.p", "tags.t", "tags.mlflow.runName"):
        assert col in df.columns, col
    assert sorted(df["metrics.x"].tolist()) == [0.0, 1.5, 3.0]
    assert sorted(df["params.p"].tolist()) == ["v0", "v1", "v2"]
    assert sorted(df["tags.t"].tolist()) == ["even", "even", "odd"]
    assert set(df["status"]) == {"FINISHED"}
    filtered = mlflow.search_runs(experiment_names=[exp_name], filter_string="tags.t = 'odd'")
    assert filtered["tags.mlflow.runName"].tolist() == ["df-1"]
    ordered = mlflow.search_runs(experiment_ids=[exp.experiment_id], order_by=["metrics.x DESC"])
    assert ordered["params.p"].tolist() == ["v2", "v1", "v0"]


# ---------------------------------------------------------------- experiments/search

def test_search_experiments_filter_order_pagination(client):
    prefix = unique("sexp")
    names = [f"{prefix}-{c}" for c in "cabed"]
    ids = {n: client.create_experiment(n, tags={"group": prefix, "idx": n[-1]}) for n in names}
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"])
    assert [e.name for e in got] == sorted(names)
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])
    assert [e.name for e in got] == sorted(names, reverse=True)
    # Tags filter, and the experiment carries its tags back.
    got = client.search_experiments(filter_string=f"tags.group = '{prefix}' AND tags.idx = 'b'")
    assert [e.experiment_id for e in got] == [ids[f"{prefix}-b"]]
    assert got[0].tags["group"] == prefix
    # Default order is newest first: creation_time DESC, then experiment_id ASC for equal times
    # (experiments made within one millisecond are common on a fast server).
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'")
    assert len(got) == len(names)
    assert [e.experiment_id for e in got] == [
        e.experiment_id for e in sorted(got, key=lambda e: (-e.creation_time, int(e.experiment_id)))]
    # Pagination until exhausted.
    seen, token, pages = [], None, 0
    while True:
        page = client.search_experiments(filter_string=f"tags.group = '{prefix}'", max_results=2,
                                         order_by=["name ASC"], page_token=token)
        pages += 1
        assert len(page) <= 2
        seen.extend(e.name for e in page)
        token = page.token
        if not token:
            break
        assert pages < 10
    assert seen == sorted(names)
    assert pages == 3


def test_search_experiments_view_type_and_ilike(client):
    prefix = unique("VIEW")
    live = client.create_experiment(f"{prefix}-live")
    dead = client.create_experiment(f"{prefix}-dead")
    client.delete_experiment(dead)
    flt = f"name ILIKE '{prefix.lower()}%'"
    assert [e.experiment_id for e in client.search_experiments(filter_string=flt)] == [live]
    got = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=flt)
    assert [e.experiment_id for e in got] == [dead]
    got = client.search_experiments(view_type=ViewType.ALL, filter_string=flt)
    assert {e.experiment_id for e in got} == {live, dead}
    assert client.search_experiments(filter_string=f"name LIKE '{prefix.lower()}%'") == []


# ---------------------------------------------------------------- less common filter forms

def test_search_runs_null_checks_and_numeric_attributes(corpus):
    ids, c, exp = corpus["ids"], corpus["client"], corpus["exp"]
    assert run_ids(c.search_runs([exp], "params.p IS NULL")) == {ids["delta"]}
    assert run_ids(c.search_runs([exp], "params.p IS NOT NULL")) == {ids[n] for n in ("alpha", "beta", "gamma")}
    assert run_ids(c.search_runs([exp], "tags.nope IS NULL")) == set(ids.values())
    gamma = c.get_run(ids["gamma"]).info.start_time
    assert run_ids(c.search_runs([exp], f"attributes.start_time >= {gamma}")) == {ids["gamma"], ids["delta"]}
    assert run_ids(c.search_runs([exp], f"attributes.start_time < {gamma}")) == {ids["alpha"], ids["beta"]}


def test_search_runs_quoted_keys_and_nan(client, exp_id):
    a = client.create_run(exp_id).info.run_id
    b = client.create_run(exp_id).info.run_id
    client.log_metric(a, "my metric", 3.0)
    client.log_metric(b, "my metric", float("nan"))
    client.log_param(a, "a.b", "dotted")
    assert run_ids(client.search_runs([exp_id], "metrics.`my metric` > 1")) == {a}
    assert run_ids(client.search_runs([exp_id], 'params."a.b" = \'dotted\'')) == {a}
    # NaN compares false to everything except != (§4.1).
    assert run_ids(client.search_runs([exp_id], "metrics.`my metric` < 1")) == set()
    assert run_ids(client.search_runs([exp_id], "metrics.`my metric` != 3")) == {b}
    # NaN sorts after real values, both directions (§4.2).
    for direction in ("ASC", "DESC"):
        runs = client.search_runs([exp_id], order_by=[f"metrics.`my metric` {direction}"])
        assert [r.info.run_id for r in runs] == [a, b], direction


def test_search_runs_dataset_filter(client, exp_name):
    exp = mlflow.set_experiment(exp_name)
    ds = mlflow.data.from_pandas(pd.DataFrame({"x": [1.0]}), name="eval-set")
    with mlflow.start_run() as with_ds:
        mlflow.log_input(ds, context="eval")
    with mlflow.start_run():
        pass
    got = client.search_runs([exp.experiment_id], "dataset.name = 'eval-set'")
    assert run_ids(got) == {with_ds.info.run_id}
    got = client.search_runs([exp.experiment_id], "dataset.context = 'eval'")
    assert run_ids(got) == {with_ds.info.run_id}


def test_search_experiments_by_id_and_time(client):
    prefix = unique("byid")
    ids = [client.create_experiment(f"{prefix}-{i}") for i in range(3)]
    got = client.search_experiments(filter_string=f"experiment_id IN ('{ids[0]}', '{ids[2]}')")
    assert {e.experiment_id for e in got} == {ids[0], ids[2]}
    first = client.get_experiment(ids[0]).creation_time
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}%' AND creation_time >= {first}")
    assert {e.experiment_id for e in got} == set(ids)
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}%'", order_by=["experiment_id DESC"])
    assert [e.experiment_id for e in got] == sorted(ids, key=int, reverse=True)
