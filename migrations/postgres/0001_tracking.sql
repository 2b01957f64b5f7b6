-- Tracking entities of MLflow (MLFLOW_API.md §3): experiments, runs, params, tags, metrics, datasets, inputs.

CREATE TABLE experiments (
    experiment_id     BIGSERIAL PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT    NOT NULL,
    lifecycle_stage   TEXT    NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    creation_time     BIGINT NOT NULL,
    last_update_time  BIGINT NOT NULL
);
CREATE INDEX experiments_by_creation ON experiments (creation_time DESC, experiment_id);

-- The MLflow client sends experiment_id "0" without checking that it exists (MLFLOW_API.md §2.1).
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active',
        (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT,
        (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);

CREATE TABLE experiment_tags (
    experiment_id BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

-- run_seq is an internal surrogate key: the metric tables, the largest by far, cluster on it instead of the
-- 32-character run_uuid, which halves their rows and speeds up every key comparison.
CREATE TABLE runs (
    run_seq         BIGSERIAL PRIMARY KEY,
    run_uuid        TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    experiment_id   BIGINT NOT NULL REFERENCES experiments (experiment_id),
    user_id         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
    start_time      BIGINT NOT NULL,
    end_time        BIGINT,
    artifact_uri    TEXT    NOT NULL,
    lifecycle_stage TEXT    NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted'))
);
-- runs/search: experiment + view type, default order start_time DESC, run_uuid.
CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);

CREATE TABLE params (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX params_by_key ON params (key, value);

CREATE TABLE tags (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX tags_by_key ON tags (key, value);

-- The full history. The primary key de-duplicates exact repeats (same key, timestamp, step, value), as MLflow
-- does, and serves metrics/get-history ordered by timestamp, step, value. NaN is stored as value 0, is_nan 1.
CREATE TABLE metrics (
    run_seq        BIGINT   NOT NULL REFERENCES runs (run_seq) ON DELETE CASCADE,
    key            TEXT    NOT NULL,
    timestamp      BIGINT NOT NULL,
    step           BIGINT NOT NULL,
    value          DOUBLE PRECISION    NOT NULL,
    is_nan         BIGINT NOT NULL DEFAULT 0,
    model_id       TEXT,
    dataset_name   TEXT,
    dataset_digest TEXT,
    PRIMARY KEY (run_seq, key, timestamp, step, value, is_nan)
);

-- The latest value per key, maintained on write: the highest (step, timestamp, value).
CREATE TABLE latest_metrics (
    run_seq   BIGINT   NOT NULL REFERENCES runs (run_seq) ON DELETE CASCADE,
    key       TEXT    NOT NULL,
    value     DOUBLE PRECISION    NOT NULL,
    timestamp BIGINT NOT NULL,
    step      BIGINT NOT NULL,
    is_nan    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (run_seq, key)
);
CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value);

-- A dataset's identity is (experiment, name, digest) (MLFLOW_API.md §2.4).
CREATE TABLE datasets (
    dataset_uuid   TEXT    PRIMARY KEY,
    experiment_id  BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    digest         TEXT    NOT NULL,
    source_type    TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    schema         TEXT,
    profile        TEXT,
    UNIQUE (experiment_id, name, digest)
);

-- Inputs of a run: datasets (source_type 'DATASET') and models (source_type 'MODEL').
CREATE TABLE inputs (
    input_uuid       TEXT PRIMARY KEY,
    source_type      TEXT NOT NULL CHECK (source_type IN ('DATASET', 'MODEL')),
    source_id        TEXT NOT NULL,
    destination_type TEXT NOT NULL CHECK (destination_type IN ('RUN')),
    destination_id   TEXT NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    UNIQUE (destination_id, source_type, source_id)
);
CREATE INDEX inputs_by_source ON inputs (source_type, source_id);

CREATE TABLE input_tags (
    input_uuid TEXT NOT NULL REFERENCES inputs (input_uuid) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (input_uuid, name)
);

-- Models a run produced, with the step they were logged at (runs/outputs).
CREATE TABLE run_outputs (
    run_uuid TEXT    NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    model_id TEXT    NOT NULL,
    step     BIGINT NOT NULL,
    PRIMARY KEY (run_uuid, model_id, step)
);
