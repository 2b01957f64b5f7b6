extension SQLStore: JobQueueStore {
    // MARK: - Workers

    public func registerWorker(_ worker: Worker) throws -> Worker {
        guard !worker.workerID.isEmpty, !worker.host.isEmpty, worker.cores > 0 else {
            throw StoreError.invalidParameter("A worker needs an ID, a host and a positive core count")
        }
        return try write { db in
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                INSERT INTO workers (worker_id, host, cores, accelerator, registered_at, last_heartbeat)
                VALUES (\(worker.workerID), \(worker.host), \(worker.cores), \(worker.accelerator), \(now), \(now))
                ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, cores = excluded.cores,
                    accelerator = excluded.accelerator, last_heartbeat = excluded.last_heartbeat
                """)
            return try Self.loadWorkers(db, id: worker.workerID)[0]
        }
    }

    public func heartbeatWorker(id: String) throws {
        try write { db in
            guard try db.execute(
                "UPDATE workers SET last_heartbeat = \(WallClock.nowMilliseconds()) WHERE worker_id = \(id)") == 1
            else {
                throw StoreError.notFound("Worker \(id) is not registered")
            }
        }
    }

    public func listWorkers() throws -> [Worker] {
        try read { db in try Self.loadWorkers(db, id: nil) }
    }

    // MARK: - Jobs

    public func createJob(experimentID: String, spec: String, priority: Int64) throws -> Job {
        let experiment = try Validation.experimentID(experimentID)
        guard !spec.isEmpty else { throw StoreError.invalidParameter("A job needs a spec") }
        let jobID = "j-" + Self.newRunID()
        return try write { db in
            guard try Self.experimentStage(db, experiment, experimentID) == "active" else {
                throw StoreError.invalidParameter("The experiment \(experimentID) must be in the 'active' state.")
            }
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                INSERT INTO jobs (job_id, experiment_id, spec, state, priority, attempts, created_at, updated_at)
                VALUES (\(jobID), \(experiment), \(spec), 'QUEUED', \(priority), 0, \(now), \(now))
                """)
            return try Self.loadJob(db, jobID)
        }
    }

    public func getJob(id: String) throws -> Job {
        try read { db in try Self.loadJob(db, id) }
    }

    public func listJobs(experimentID: String?, states: [JobState], maxResults: Int, pageToken: String?) throws -> Page<Job> {
        try Validation.maxResults(maxResults)
        let offset = try PageToken.decode(pageToken)
        let experiment = try experimentID.map(Validation.experimentID)
        return try read { db in
            var sql: SQL = "SELECT \(unsafeSQL: Self.jobColumns) FROM jobs WHERE 1 = 1"
            if let experiment { sql.append(" AND experiment_id = \(experiment)") }
            if !states.isEmpty { sql.append(" AND state IN \(SQL.list(states.map(\.rawValue)))") }
            sql.append(" ORDER BY created_at DESC, job_id LIMIT \(maxResults + 1) OFFSET \(offset)")
            let (items, next) = PageToken.page(try db.query(sql).map(Self.job), offset: offset, limit: maxResults)
            return Page(items: items, nextPageToken: next)
        }
    }

    public func leaseJob(workerID: String, leaseMilliseconds: Int64) throws -> Job? {
        guard leaseMilliseconds > 0 else { throw StoreError.invalidParameter("The lease must be positive") }
        let token = Self.newRunID()
        let dialect = self.dialect
        return try write { db in
            guard try db.queryOne("SELECT 1 FROM workers WHERE worker_id = \(workerID)") != nil else {
                throw StoreError.notFound("Worker \(workerID) is not registered")
            }
            let now = WallClock.nowMilliseconds()
            // PostgreSQL: concurrent leasers skip rows another transaction holds instead of waiting on them
            // (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE). SQLite needs no lock
            // clause: its single writer serialises every lease.
            let lockClause = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard let candidate = try db.queryOne(
                """
                SELECT job_id FROM jobs
                WHERE state = 'QUEUED' OR (state = 'RUNNING' AND lease_expires_at < \(now))
                ORDER BY priority DESC, created_at, job_id LIMIT 1\(unsafeSQL: lockClause)
                """)
            else {
                return nil
            }
            let jobID = candidate.string(0)
            try db.execute(
                """
                UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, lease_worker_id = \(workerID),
                    lease_token = \(token), lease_expires_at = \(now + leaseMilliseconds), updated_at = \(now),
                    started_at = COALESCE(started_at, \(now))
                WHERE job_id = \(jobID)
                """)
            try db.execute("UPDATE workers SET last_heartbeat = \(now) WHERE worker_id = \(workerID)")
            return try Self.loadJob(db, jobID)
        }
    }

    public func updateJobProgress(id: String, leaseToken: String, progress: JobProgress, leaseMilliseconds: Int64) throws
        -> Job
    {
        guard progress.fraction >= 0, progress.fraction <= 1 else {
            throw StoreError.invalidParameter("Progress must be between 0 and 1")
        }
        return try write { db in
            let now = WallClock.nowMilliseconds()
            try Self.requireLease(db, id, leaseToken)
            try db.execute(
                """
                UPDATE jobs SET progress_fraction = \(progress.fraction), progress_message = \(progress.message),
                    best_so_far = COALESCE(\(progress.bestSoFar), best_so_far), lease_expires_at = \(now + leaseMilliseconds),
                    updated_at = \(now)
                WHERE job_id = \(id)
                """)
            return try Self.loadJob(db, id)
        }
    }

    public func setJobRun(id: String, leaseToken: String, runID: String) throws -> Job {
        try write { db in
            try Self.requireLease(db, id, leaseToken)
            try db.execute(
                "UPDATE jobs SET run_id = \(runID), updated_at = \(WallClock.nowMilliseconds()) WHERE job_id = \(id)")
            return try Self.loadJob(db, id)
        }
    }

    public func completeJob(id: String, leaseToken: String, state: JobState, error: String?) throws -> Job {
        guard state == .succeeded || state == .failed else {
            throw StoreError.invalidParameter("A job completes as SUCCEEDED or FAILED, not \(state.rawValue)")
        }
        return try write { db in
            try Self.requireLease(db, id, leaseToken)
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                UPDATE jobs SET state = \(state.rawValue), error = \(error), lease_token = NULL, lease_expires_at = NULL,
                    updated_at = \(now), finished_at = \(now)
                WHERE job_id = \(id)
                """)
            if state == .succeeded { try db.execute("UPDATE jobs SET progress_fraction = 1 WHERE job_id = \(id)") }
            return try Self.loadJob(db, id)
        }
    }

    public func cancelJob(id: String) throws -> Job {
        try write { db in
            let job = try Self.loadJob(db, id)
            guard !job.state.isTerminal else {
                throw StoreError.invalidState("Job \(id) already finished as \(job.state.rawValue)")
            }
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                UPDATE jobs SET state = 'CANCELLED', lease_token = NULL, lease_expires_at = NULL, updated_at = \(now),
                    finished_at = \(now)
                WHERE job_id = \(id)
                """)
            return try Self.loadJob(db, id)
        }
    }

    // MARK: - Job helpers

    /// Only the current lease holder, with an unexpired lease on a running job, may report on it.
    static func requireLease(_ db: any SQLSession, _ id: String, _ token: String) throws {
        let job = try loadJob(db, id)
        guard job.state == .running, job.leaseToken == token,
            let expiry = job.leaseExpiresAt, expiry >= WallClock.nowMilliseconds()
        else {
            throw StoreError.invalidState("Job \(id) is not leased with this token (state \(job.state.rawValue))")
        }
    }

    static let jobColumns = """
        job_id, experiment_id, spec, state, priority, attempts, lease_worker_id, lease_token, lease_expires_at,
        progress_fraction, progress_message, best_so_far, run_id, error, created_at, updated_at, started_at, finished_at
        """

    static func job(_ row: Row) -> Job {
        Job(
            jobID: row.string(0), experimentID: String(row.int64(1)), spec: row.string(2),
            state: JobState(rawValue: row.string(3)) ?? .queued, priority: row.int64(4), attempts: row.int64(5),
            leaseWorkerID: row.optionalString(6), leaseToken: row.optionalString(7), leaseExpiresAt: row.optionalInt64(8),
            progressFraction: row.double(9), progressMessage: row.string(10), bestSoFar: row.optionalString(11),
            runID: row.optionalString(12), error: row.optionalString(13), createdAt: row.int64(14),
            updatedAt: row.int64(15), startedAt: row.optionalInt64(16), finishedAt: row.optionalInt64(17))
    }

    static func loadJob(_ db: any SQLSession, _ id: String) throws -> Job {
        guard let row = try db.queryOne("SELECT \(unsafeSQL: jobColumns) FROM jobs WHERE job_id = \(id)") else {
            throw StoreError.notFound("Job \(id) not found")
        }
        return job(row)
    }

    static func loadWorkers(_ db: any SQLSession, id: String?) throws -> [Worker] {
        var sql: SQL = "SELECT worker_id, host, cores, accelerator, registered_at, last_heartbeat FROM workers"
        if let id { sql.append(" WHERE worker_id = \(id)") }
        sql.append(" ORDER BY worker_id")
        return try db.query(sql).map {
            Worker(
                workerID: $0.string(0), host: $0.string(1), cores: $0.int64(2), accelerator: $0.optionalString(3),
                registeredAt: $0.int64(4), lastHeartbeat: $0.int64(5))
        }
    }
}
