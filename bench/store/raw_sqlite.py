#!/usr/bin/env python3
"""Raw-SQLite reference for bench/store: Python's sqlite3 `executemany` into the same schema (migrations/sqlite),
same pragmas (WAL, synchronous=NORMAL), same work per batch, one transaction per batch: the latest-value upsert,
then the batch staged as one metric_staging row packed as StagedBatchCodec.swift packs it, and every 32nd batch of a
run the merge of its staged rows into one metric_chunks row per key (first point in columns, the rest packed as
MetricPointsCodec.swift packs them). W threads each use their own connection and run.

    raw_sqlite.py DB_PATH BATCH WRITERS SECONDS
"""
import json
import struct
import pathlib
import sqlite3
import sys
import threading
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]


def connect(path):
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


NO_STRING = 0xFFFF_FFFF


def pack_chunk(key, points):
    """One chunk of a staged batch: key, three absent strings (model, dataset name, digest), count, points."""
    k = key.encode()
    return (struct.pack("<I", len(k)) + k + struct.pack("<IIII", NO_STRING, NO_STRING, NO_STRING, len(points))
            + b"".join(struct.pack("<qqd", p[2], p[3], p[4]) for p in points))


def unpack_chunks(blob):
    offset, out = 0, []
    while offset < len(blob):
        (n,) = struct.unpack_from("<I", blob, offset)
        key = blob[offset + 4:offset + 4 + n].decode()
        offset += 4 + n + 12
        (count,) = struct.unpack_from("<I", blob, offset)
        offset += 4
        out.append((key, [struct.unpack_from("<qqd", blob, offset + 24 * i) for i in range(count)]))
        offset += 24 * count
    return out


def merge(conn, run):
    per_key = {}
    for (blob,) in conn.execute("SELECT chunks FROM metric_staging WHERE run_seq = ? ORDER BY seq", (run,)):
        for key, points in unpack_chunks(blob):
            per_key.setdefault(key, []).extend(points)
    conn.executemany(
        "INSERT INTO metric_chunks (run_seq, key, chunk, timestamp, step, value, is_nan, more_points) "
        "VALUES (?, ?, COALESCE((SELECT MAX(chunk) FROM metric_chunks WHERE run_seq = ? AND key = ?), 0) + 1, "
        "?, ?, ?, 0, ?)",
        [(run, key, run, key, pts[0][0], pts[0][1], pts[0][2], b"".join(struct.pack("<qqd", *p) for p in pts[1:]))
         for key, pts in per_key.items()])
    conn.execute("DELETE FROM metric_staging WHERE run_seq = ?", (run,))


def main():
    path, batch, writers, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    db = connect(path)
    for sql in sorted((ROOT / "migrations" / "sqlite").glob("*.sql")):
        db.executescript(sql.read_text())
    runs = []
    for _ in range(writers):
        cursor = db.execute(
            "INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, artifact_uri) "
            "VALUES (?, 'bench', 0, 'bench', 'RUNNING', 0, 'x') RETURNING run_seq", (uuid.uuid4().hex,))
        runs.append(cursor.fetchone()[0])
    db.close()

    steps_per_batch = max(1, batch // 10)
    counts = [0] * writers
    deadline = time.monotonic() + seconds

    def writer(w):
        conn = connect(path)
        run = runs[w]
        n = 0
        while time.monotonic() < deadline:
            rows = []
            for i in range(batch):
                step = n * steps_per_batch + i // 10
                rows.append((run, f"metric_{i % 10}", 1_700_000_000_000 + step, step, i * 0.001 + n, 0))
            latest = {}
            chunks = {}
            for r in rows:
                key = r[1]
                if key not in latest or (r[3], r[2], r[4]) > (latest[key][3], latest[key][2], latest[key][4]):
                    latest[key] = r
                chunks.setdefault(key, []).append(r)
            staged = b"".join(pack_chunk(key, points) for key, points in chunks.items())
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO latest_metrics (run_seq, key, timestamp, step, value, is_nan) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (run_seq, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
                "step = excluded.step, is_nan = excluded.is_nan "
                "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
                "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)", list(latest.values()))
            seq = (conn.execute("SELECT MAX(seq) FROM metric_staging WHERE run_seq = ?", (run,)).fetchone()[0] or 0) + 1
            conn.execute("INSERT INTO metric_staging (run_seq, seq, chunks) VALUES (?, ?, ?)", (run, seq, staged))
            if seq >= 32:
                merge(conn, run)
            conn.execute("COMMIT")
            n += 1
        counts[w] = n
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    points = sum(counts) * batch
    print(json.dumps({"impl": "python-sqlite3-executemany", "backend": "sqlite", "batch": batch, "writers": writers,
                      "points": points, "seconds": round(elapsed, 2), "points_per_s": int(points / elapsed),
                      "failures": 0}))


if __name__ == "__main__":
    main()
