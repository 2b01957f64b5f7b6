-- Drops the (key, value) indexes on params, tags and latest_metrics. No SQLite query uses them: filters and
-- order_by reach these tables through their primary keys (run, key) from each candidate run, and the run loaders
-- read them by run. They only cost writes, and what they cost is large for tags: every new run's mlflow.runName
-- (a generated, random name) lands on a random leaf of tags_by_key, so a group commit of N creates rewrote N more
-- pages into the WAL. Dropping tags_by_key alone took runs/create from 3 700–5 000 to 5 400–7 000 requests/s
-- side by side on the tracking benchmark's workload (bench/README.md, tracking).
--
-- PostgreSQL keeps them: its planner does use them, e.g. a bitmap index scan on params_by_key for the benchmark's
-- search filter params.model = 'm3' (EXPLAIN ANALYZE, 1 000 runs).
DROP INDEX IF EXISTS params_by_key;
DROP INDEX IF EXISTS tags_by_key;
DROP INDEX IF EXISTS latest_metrics_by_key;
