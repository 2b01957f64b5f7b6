"""Eight client threads log at once to eight runs; every value must land."""

import threading
import time

from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient

THREADS = 8
STEPS = 25
PARAMS = 10


def test_parallel_logging_to_separate_runs(server, exp_id):
    client = MlflowClient(server)
    run_ids = [client.create_run(exp_id, run_name=f"worker-{i}").info.run_id for i in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors = []

    def worker(i, rid):
        try:
            c = MlflowClient(server)  # one client per thread, as separate processes would have
            start.wait()
            for step in range(STEPS):
                c.log_metric(rid, "loss", i * 1000 + step, step=step)
            for p in range(PARAMS):
                c.log_param(rid, f"p{p}", f"{i}-{p}")
            t0 = int(time.time() * 1000)
            c.log_batch(rid, metrics=[Metric("acc", float(i) + s / 100, t0, s) for s in range(STEPS)],
                        params=[Param("worker", str(i))])
            c.set_tag(rid, "done", "yes")
        except Exception as e:  # collected and asserted below: a thread's exception is otherwise lost
            errors.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i, rid)) for i, rid in enumerate(run_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a logging thread hung"
    assert errors == []

    for i, rid in enumerate(run_ids):
        run = client.get_run(rid)
        assert run.data.params == {**{f"p{p}": f"{i}-{p}" for p in range(PARAMS)}, "worker": str(i)}
        assert run.data.tags["done"] == "yes"
        assert run.data.metrics["loss"] == i * 1000 + STEPS - 1
        loss = client.get_metric_history(rid, "loss")
        assert sorted((m.step, m.value) for m in loss) == [(s, float(i * 1000 + s)) for s in range(STEPS)]
        acc = client.get_metric_history(rid, "acc")
        assert sorted(m.step for m in acc) == list(range(STEPS))
