-- The metric history in chunks of points, instead of one row per point, so that SQLite's single writer can ingest
-- several hundred thousand points a second (bench/README.md "store"). Two tables:
--
-- metric_chunks, clustered by (run, key): what get-history reads with one range scan. A batch's points of a key
-- go here directly when there are at least 32 of them.
--
-- metric_staging, one row per batch: smaller pieces land here first, all keys of a batch packed in one blob
-- (StagedBatchCodec.swift), so a batch of 10 keys writes one row and dirties one or two b-tree pages instead of one
-- per key. Every 32 staged batches of a run are merged into one metric_chunks row per key and deleted
-- (SQLStore+MetricHistory.swift). get-history reads both.
--
-- A chunk's first point is in the columns; points 2..n are packed in more_points (24 bytes each: little-endian
-- timestamp, step and IEEE 754 value; MetricPointsCodec.swift), NULL for a one-point chunk. chunk numbers the
-- chunks of a (run, key) in the order they were written. Exact repeats of a point are removed when the history
-- is read, as MLflow does. NaN is stored as value 0, is_nan 1 in the columns.
CREATE TABLE metric_chunks (
    run_seq        BIGINT  NOT NULL REFERENCES runs (run_seq) ON DELETE CASCADE,
    key            TEXT    NOT NULL,
    chunk          BIGINT  NOT NULL,
    timestamp      BIGINT  NOT NULL,
    step           BIGINT  NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    is_nan         BIGINT  NOT NULL DEFAULT 0,
    more_points    BYTEA,
    model_id       TEXT,
    dataset_name   TEXT,
    dataset_digest TEXT,
    PRIMARY KEY (run_seq, key, chunk)
);

CREATE TABLE metric_staging (
    run_seq        BIGINT  NOT NULL REFERENCES runs (run_seq) ON DELETE CASCADE,
    seq            BIGINT  NOT NULL,
    chunks         BYTEA   NOT NULL,
    PRIMARY KEY (run_seq, seq)
);

-- Every point of the old table becomes a one-point chunk.
INSERT INTO metric_chunks (run_seq, key, chunk, timestamp, step, value, is_nan, model_id, dataset_name, dataset_digest)
SELECT run_seq, key, ROW_NUMBER() OVER (PARTITION BY run_seq, key ORDER BY timestamp, step, value, is_nan),
       timestamp, step, value, is_nan, model_id, dataset_name, dataset_digest
FROM metrics;

DROP TABLE metrics;
