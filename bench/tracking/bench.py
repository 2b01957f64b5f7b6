#!/usr/bin/env python3
"""Tracking benchmark: the same MLflow REST workload against MLflow's server, FastTrackML and mixbit.

Each server gets a fresh SQLite database and artifact directory and runs alone, one after another.
Load comes from wrk (2 threads, 8 connections); POST bodies are built by the Lua scripts beside
this file. Seeding (runs to search, points of history) goes through plain HTTP and is not timed.

Per server it records requests/s per workload, the resident memory of the server's whole process
tree after the workloads, and the time from spawning the process to the first 200 from an API
endpoint. A server that cannot do a workload (404, errors, missing binary) gets "n/a" there and
the reason is printed under the table; the other servers still run.

Only the standard library: this runs with any python3 (run.sh uses .venv-bench's, which also
provides the `mlflow` and `fml` executables).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
API = "/api/2.0/mlflow"
THREADS = 2          # wrk threads
CONNECTIONS = 8      # wrk connections
SEARCH_RUNS = 1000
HISTORY_POINTS = 5000
BATCH = 100          # metrics per log-batch request in the log-batch workload

WORKLOADS = [
    # key, label, points per request (for points/s)
    ("create_run", "create run (`runs/create`)", 1),
    ("log_metric", "log one metric (`runs/log-metric`)", 1),
    ("log_batch", f"log-batch of {BATCH} metrics (`runs/log-batch`)", BATCH),
    ("get_run", "get run (`runs/get`)", 1),
    ("search_runs", f"search runs ({SEARCH_RUNS} runs, filter + order, max 100)", 1),
    ("get_history", f"metric history of {HISTORY_POINTS} points (`metrics/get-history`)", 1),
]


class Unavailable(Exception):
    """The server cannot do this workload; the message says why (shown under the table)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """Keep-alive JSON client for one server (one connection per instance; not thread-safe)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method: str, endpoint: str, body=None, query=None):
        path = API + endpoint
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # A server may close an idle keep-alive connection; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        if resp.status != 200:
            raise Unavailable(f"{method} {endpoint} → HTTP {resp.status} {raw[:120]!r}")
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            raise Unavailable(f"{method} {endpoint} → non-JSON 200 {raw[:120]!r}")

    def close(self):
        self.conn.close()


# ------------------------------------------------------------------------------------------ servers

def server_command(name: str, port: int, work: Path, args) -> list:
    if name == "mlflow":
        cmd = [args.mlflow, "server", "--host", "127.0.0.1", "--port", str(port),
               "--backend-store-uri", f"sqlite:///{work}/mlflow.db",
               "--artifacts-destination", str(work / "artifacts")]
        if args.mlflow_workers:
            cmd += ["--workers", str(args.mlflow_workers)]
        return cmd
    if name == "fasttrackml":
        # --log-level warning: its default (info) writes one line per request; mixbit runs without an
        # access log too.
        return [args.fml, "server", "--listen-address", f"127.0.0.1:{port}",
                "--database-uri", f"sqlite://{work}/fasttrackml.db",
                "--default-artifact-root", str(work / "artifacts"), "--log-level", "warning"]
    if name == "mixbit":
        return [args.mixbit, "serve", "--host", "127.0.0.1", "--port", str(port),
                "--backend-store-uri", f"sqlite:///{work}/mixbit.db",
                "--artifacts-destination", str(work / "artifacts"),
                "--no-access-log", "--log-level", "warning"]
    raise ValueError(name)


def process_tree(root: int) -> list:
    """root and all its descendants (mlflow's uvicorn workers are children of the CLI process)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_rss_mib(root: int) -> float:
    total_kib = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            pass
    return total_kib / 1024


def tree_pss_mib(root: int) -> float:
    """Proportional set size of the tree: shared pages of forked workers counted once, not per process."""
    total_kib = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except OSError:
            pass
    return total_kib / 1024


def tree_commands(root: int) -> str:
    names = {}
    for pid in process_tree(root):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        names[comm] = names.get(comm, 0) + 1
    return ", ".join(f"{n}×{c}" for c, n in sorted(names.items()))


def wait_for_api(proc: subprocess.Popen, port: int, t0: float, timeout: float, notes: list, name: str) -> float:
    """Milliseconds from spawn (t0) to the first 200 of GET experiments/get?experiment_id=0.

    Polls in a tight loop (1 ms pause) over fresh connections, as a load balancer's first probe would.
    A server that answers HTTP but keeps answering 404 for 5 s has no tracking API: give up early.
    """
    path = f"{API}/experiments/get?experiment_id=0"
    last, first_answer = "no answer", None
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise Unavailable(f"exited with status {proc.returncode} during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return (time.monotonic() - t0) * 1000
            last = f"HTTP {resp.status} from {path}"
            if first_answer is None:
                first_answer = time.monotonic()
                notes.append(f"{name}: first HTTP answer ({resp.status}) {(first_answer - t0) * 1000:.0f} ms "
                             "after spawn")
            if resp.status == 404 and time.monotonic() - first_answer > 5:
                break
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.001)
    raise Unavailable(f"no 200 from the API (last: {last})")


def stop(proc: subprocess.Popen):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # also any worker left behind by the parent
    except ProcessLookupError:
        pass
    proc.wait()


# ------------------------------------------------------------------------------------------ wrk

WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_TOTAL = re.compile(r"(\d+) requests in")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_LAT = re.compile(r"Latency\s+([\d.]+\w+)")


WARMUP_S = 0  # set from --warmup in main()


def wrk(port: int, duration: int, path: str = "/", script: str = None, script_args=()) -> dict:
    if WARMUP_S > 0:
        # Untimed pass first, through every connection: mlflow's workers each initialise their store
        # lazily on their first requests, which would otherwise land in the first workload's numbers.
        _wrk_once(port, WARMUP_S, path, script, script_args, check=False)
    return _wrk_once(port, duration, path, script, script_args, check=True)


def _wrk_once(port, duration, path, script, script_args, check) -> dict:
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s"]
    if script:
        cmd += ["-s", str(HERE / script)]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        cmd += ["--", *map(str, script_args)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    if not check:
        return {}
    m = WRK_RPS.search(out)
    if not m:
        raise Unavailable(f"wrk printed no rate: {out[-300:]!r}")
    total = int(WRK_TOTAL.search(out).group(1))
    non2xx = int(WRK_NON2XX.search(out).group(1)) if WRK_NON2XX.search(out) else 0
    errs = sum(map(int, WRK_ERRORS.search(out).groups())) if WRK_ERRORS.search(out) else 0
    # A rate made of error answers means nothing: any failed request voids the row.
    if total == 0:
        raise Unavailable(f"no request completed in {duration} s")
    if non2xx > 0:
        raise Unavailable(f"{non2xx} of {total} requests answered non-2xx")
    if errs > total // 100:
        raise Unavailable(f"{errs} socket errors in {total} requests")
    lat = WRK_LAT.search(out)
    return {"rps": float(m.group(1)), "requests": total, "avg_latency": lat.group(1) if lat else "?"}


# ------------------------------------------------------------------------------------------ workloads

def create_experiment(api: Api, name: str) -> str:
    return api.call("POST", "/experiments/create", {"name": name})["experiment_id"]


def create_run(api: Api, exp: str) -> str:
    info = api.call("POST", "/runs/create", {"experiment_id": exp, "start_time": int(time.time() * 1000)})
    return info["run"]["info"]["run_id"]


def seed_get_run(api: Api, exp: str) -> str:
    """The run that the get-run workload reads: 10 params, 10 metrics, 5 tags."""
    rid = create_run(api, exp)
    t = int(time.time() * 1000)
    api.call("POST", "/runs/log-batch", {
        "run_id": rid,
        "metrics": [{"key": f"m{i}", "value": i / 10, "timestamp": t, "step": 0} for i in range(10)],
        "params": [{"key": f"p{i}", "value": f"v{i}"} for i in range(10)],
        "tags": [{"key": f"t{i}", "value": f"v{i}"} for i in range(5)]})
    return rid


def seed_history(api: Api, exp: str) -> str:
    """The run that the metric-history workload reads: HISTORY_POINTS points of metric `loss`."""
    rid = create_run(api, exp)
    t = int(time.time() * 1000)
    for start in range(0, HISTORY_POINTS, 1000):
        api.call("POST", "/runs/log-batch", {"run_id": rid, "metrics": [
            {"key": "loss", "value": 1.0 / (s + 1), "timestamp": t + s, "step": s}
            for s in range(start, min(start + 1000, HISTORY_POINTS))]})
    return rid


def seed_search_runs(port: int, exp: str) -> None:
    """SEARCH_RUNS runs, each with metric acc in [0,1) and param model in m0..m4, from 8 threads."""
    values = search_corpus()

    def seed(chunk):
        api = Api(port)
        try:
            for acc, model in chunk:
                rid = create_run(api, exp)
                api.call("POST", "/runs/log-batch", {
                    "run_id": rid,
                    "metrics": [{"key": "acc", "value": acc, "timestamp": int(time.time() * 1000), "step": 0}],
                    "params": [{"key": "model", "value": model}]})
        finally:
            api.close()

    with ThreadPoolExecutor(8) as pool:
        for f in [pool.submit(seed, values[i::8]) for i in range(8)]:
            f.result()


SEARCH_FILTER = "metrics.acc > 0.2 AND params.model = 'm3'"


def search_corpus() -> list:
    rng = random.Random(7)
    return [(rng.random(), f"m{i % 5}") for i in range(SEARCH_RUNS)]


def expected_search_accs() -> list:
    """The acc values the search must return, in order: ~160 runs match, the first 100 come back."""
    hits = [acc for acc, model in search_corpus() if acc > 0.2 and model == "m3"]
    return sorted(hits, reverse=True)[:100]


def run_workloads(name: str, port: int, args, results: dict, notes: list):
    api = Api(port)
    d = args.duration

    def attempt(key, fn):
        try:
            results[key] = fn()
        except Unavailable as e:
            results[key] = None
            notes.append(f"{name} / {key}: {e}")

    # Every workload first makes one real request through the same endpoint and checks the answer,
    # so a server that answers 404 (or the wrong thing) is reported instead of timed.
    try:
        exp = create_experiment(api, "bench-create")
    except Unavailable as e:
        for key, _, _ in WORKLOADS:
            results[key] = None
        notes.append(f"{name}: no tracking API ({e}); every workload n/a")
        return

    def w_create():
        create_run(api, exp)
        return wrk(port, d, script="create_run.lua", script_args=[exp])

    def w_log_metric():
        rid = create_run(api, exp)
        api.call("POST", "/runs/log-metric", {"run_id": rid, "key": "loss", "value": 1.0,
                                              "timestamp": int(time.time() * 1000), "step": 0})
        return wrk(port, d, script="log_metric.lua", script_args=[rid, THREADS])

    def w_log_batch():
        rid = create_run(api, exp)
        return wrk(port, d, script="log_batch.lua", script_args=[rid, THREADS, BATCH])

    def w_get_run():
        rid = seed_get_run(api, exp)
        got = api.call("GET", "/runs/get", query={"run_id": rid})["run"]
        if len(got["data"].get("metrics", [])) != 10 or len(got["data"].get("params", [])) != 10:
            raise Unavailable(f"runs/get returned the wrong run data: {str(got)[:200]}")
        return wrk(port, d, path=f"{API}/runs/get?run_id={rid}")

    def w_search():
        sexp = create_experiment(api, "bench-search")
        t = time.monotonic()
        seed_search_runs(port, sexp)
        notes.append(f"{name}: seeded {SEARCH_RUNS} runs in {time.monotonic() - t:.1f} s")
        body = {"experiment_ids": [sexp], "filter": SEARCH_FILTER, "order_by": ["metrics.acc DESC"],
                "max_results": 100, "run_view_type": "ACTIVE_ONLY"}
        runs = api.call("POST", "/runs/search", body).get("runs", [])
        accs = [next(m["value"] for m in r["data"]["metrics"] if m["key"] == "acc") for r in runs]
        want = expected_search_accs()
        if len(accs) != len(want) or any(abs(a - b) > 1e-12 for a, b in zip(accs, want)):
            raise Unavailable(f"runs/search returned {len(runs)} runs, not the {len(want)} best by acc DESC")
        return wrk(port, d, script="search_runs.lua", script_args=[sexp])

    def w_history():
        rid = seed_history(api, exp)
        # What the MLflow client sends (MLFLOW_API.md §2.5).
        query = {"run_id": rid, "metric_key": "loss", "max_results": 25000}
        got = api.call("GET", "/metrics/get-history", query=query).get("metrics", [])
        if len(got) != HISTORY_POINTS:
            raise Unavailable(f"metrics/get-history returned {len(got)} points, want {HISTORY_POINTS}")
        return wrk(port, d, path=f"{API}/metrics/get-history?" + urllib.parse.urlencode(query))

    for key, fn in [("create_run", w_create), ("log_metric", w_log_metric), ("log_batch", w_log_batch),
                    ("get_run", w_get_run), ("search_runs", w_search), ("get_history", w_history)]:
        attempt(key, fn)
    api.close()


def bench_server(name: str, args, notes: list) -> dict:
    results = {"startup_ms": None, "rss_mib": None}
    binary = {"mlflow": args.mlflow, "fasttrackml": args.fml, "mixbit": args.mixbit}[name]
    if not binary or not (os.access(binary, os.X_OK) or shutil.which(binary)):
        notes.append(f"{name}: executable not found ({binary}); every workload n/a")
        return results
    work = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    port = free_port()
    cmd = server_command(name, port, work, args)
    log = open(work / "server.log", "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            cwd=work, start_new_session=True)
    try:
        try:
            results["startup_ms"] = wait_for_api(proc, port, t0, args.startup_timeout, notes, name)
        except Unavailable as e:
            notes.append(f"{name}: {e}")
            # Still up (e.g. /health works but the API 404s)? Let the workloads record n/a each.
            if proc.poll() is not None:
                log.flush()
                tail = (work / "server.log").read_text(errors="replace")[-500:]
                notes.append(f"{name}: log tail: {tail!r}")
                return results
        print(f"[{name}] started in {results['startup_ms'] or float('nan'):.0f} ms: {' '.join(cmd)}",
              file=sys.stderr)
        run_workloads(name, port, args, results, notes)
        for key, _, _ in WORKLOADS:
            r = results.get(key)
            print(f"[{name}] {key}: " + (f"{r['rps']:.0f} req/s, avg latency {r['avg_latency']}" if r else "n/a"),
                  file=sys.stderr)
        if proc.poll() is None and any(results.get(k) for k, _, _ in WORKLOADS):
            # Only after real work: the RSS of an idle server that did nothing would flatter it.
            results["rss_mib"] = tree_rss_mib(proc.pid)
            results["pss_mib"] = tree_pss_mib(proc.pid)
            results["processes"] = len(process_tree(proc.pid))
            notes.append(f"{name}: process tree after the workloads: {tree_commands(proc.pid)}")
        elif proc.poll() is not None:
            notes.append(f"{name}: server died during the workloads (status {proc.returncode})")
    finally:
        stop(proc)
        log.close()
        if args.keep:
            print(f"[{name}] kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return results


# ------------------------------------------------------------------------------------------ report

def fmt_rate(r, per_request):
    if not r:
        return "n/a"
    s = f"{r['rps']:,.0f}"
    if per_request > 1:
        s += f" ({r['rps'] * per_request:,.0f} points/s)"
    return s


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}×"


def report(all_results: dict, notes: list, args) -> str:
    names = ["mlflow", "fasttrackml", "mixbit"]
    head = "| workload | MLflow | FastTrackML | mixbit | mixbit/FastTrackML | mixbit/MLflow |"
    lines = [head, "|---|---:|---:|---:|---:|---:|"]
    for key, label, per in WORKLOADS:
        r = {n: all_results[n].get(key) for n in names}
        rate = {n: (r[n]["rps"] if r[n] else None) for n in names}
        lines.append(f"| {label}, requests/s | " + " | ".join(fmt_rate(r[n], per) for n in names)
                     + f" | {ratio(rate['mixbit'], rate['fasttrackml'])} | {ratio(rate['mixbit'], rate['mlflow'])} |")
    rss = {n: all_results[n].get("rss_mib") for n in names}
    procs = {n: all_results[n].get("processes") for n in names}
    lines.append("| RSS after the workloads, MiB (process tree) | "
                 + " | ".join(f"{rss[n]:.0f} ({procs[n]} proc)" if rss[n] else "n/a" for n in names)
                 + f" | {ratio(rss['mixbit'], rss['fasttrackml'])} | {ratio(rss['mixbit'], rss['mlflow'])} |")
    pss = {n: all_results[n].get("pss_mib") for n in names}
    lines.append("| PSS after the workloads, MiB (process tree) | "
                 + " | ".join(f"{pss[n]:.0f}" if pss[n] else "n/a" for n in names)
                 + f" | {ratio(pss['mixbit'], pss['fasttrackml'])} | {ratio(pss['mixbit'], pss['mlflow'])} |")
    st = {n: all_results[n].get("startup_ms") for n in names}
    lines.append("| start → first API answer, ms | "
                 + " | ".join(f"{st[n]:,.0f}" if st[n] else "n/a" for n in names)
                 + f" | {ratio(st['mixbit'], st['fasttrackml'])} | {ratio(st['mixbit'], st['mlflow'])} |")
    lines.append("")
    mlflow_workers = args.mlflow_workers or "4 (its default)"
    jobs = os.environ.get("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "true (default)")
    lines.append(f"MLflow 3.17.2: `mlflow server`, uvicorn, {mlflow_workers} workers, "
                 f"MLFLOW_SERVER_ENABLE_JOB_EXECUTION={jobs}. FastTrackML 0.6.0: `fml server` "
                 "(--log-level warning). mixbit: `mixbit serve` (release build, --no-access-log).")
    lines.append(f"wrk {THREADS} threads, {CONNECTIONS} connections, {args.duration} s per workload after {args.warmup} s "
                 "of untimed warm-up; fresh SQLite "
                 f"database per server; {os.cpu_count()} cores; load average before: {args.load_before}. "
                 "Ratios > 1 favour mixbit for rates, < 1 for RSS and start-up time.")
    if notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"- {n}" for n in notes)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=int, default=5, help="seconds of wrk per workload")
    p.add_argument("--servers", default="mlflow,fasttrackml,mixbit")
    p.add_argument("--mlflow", default=str(Path(sys.executable).with_name("mlflow")))
    p.add_argument("--mlflow-workers", type=int, default=0,
                   help="uvicorn workers for mlflow server (0: its default, 4 in 3.17.2)")
    p.add_argument("--fml", default=str(Path(sys.executable).with_name("fml")))
    p.add_argument("--mixbit", default=".build/release/mixbit")
    p.add_argument("--warmup", type=int, default=2, help="untimed seconds of the same load before each workload")
    p.add_argument("--startup-timeout", type=float, default=120)
    p.add_argument("--keep", action="store_true", help="keep each server's temporary directory")
    p.add_argument("--output", help="also write the markdown table here")
    args = p.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (run.sh installs it)")
    args.load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    global WARMUP_S
    WARMUP_S = args.warmup
    notes, results = [], {}
    chosen = args.servers.split(",")
    for name in ["mlflow", "fasttrackml", "mixbit"]:
        results[name] = bench_server(name, args, notes) if name in chosen else {}
    table = report(results, notes, args)
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n")


if __name__ == "__main__":
    main()
