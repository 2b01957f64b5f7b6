-- Quantization jobs and the workers that lease them (DESIGN.md "Data model").

CREATE TABLE workers (
    worker_id      TEXT    PRIMARY KEY,
    host           TEXT    NOT NULL,
    cores          INTEGER NOT NULL,
    accelerator    TEXT,
    registered_at  INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL
);

CREATE TABLE jobs (
    job_id            TEXT    PRIMARY KEY,
    experiment_id     INTEGER NOT NULL REFERENCES experiments (experiment_id),
    spec              TEXT    NOT NULL,
    state             TEXT    NOT NULL DEFAULT 'QUEUED'
                      CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    priority          INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    lease_worker_id   TEXT    REFERENCES workers (worker_id),
    lease_token       TEXT,
    lease_expires_at  INTEGER,
    progress_fraction REAL    NOT NULL DEFAULT 0,
    progress_message  TEXT    NOT NULL DEFAULT '',
    best_so_far       TEXT,
    run_id            TEXT,
    error             TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER
);
-- Leasing scans queued jobs by priority then age, and running jobs whose lease expired.
CREATE INDEX jobs_queue ON jobs (state, priority DESC, created_at, job_id);
CREATE INDEX jobs_by_experiment ON jobs (experiment_id, created_at DESC);
