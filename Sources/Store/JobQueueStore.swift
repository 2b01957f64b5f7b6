/// The quantization job queue and its workers (DESIGN.md). Leasing uses `SELECT … FOR UPDATE SKIP LOCKED` on
/// PostgreSQL, so several server replicas can share one database; on SQLite the single writer serialises it.
public protocol JobQueueStore: Sendable {
    /// Registers (or re-registers) a worker and stamps its heartbeat.
    func registerWorker(_ worker: Worker) throws -> Worker
    /// - Throws: `.notFound` for an unknown worker.
    func heartbeatWorker(id: String) throws
    func listWorkers() throws -> [Worker]
    /// Queues a job in `experimentID` (which must be active) with a JSON `spec`.
    func createJob(experimentID: String, spec: String, priority: Int64) throws -> Job
    func getJob(id: String) throws -> Job
    /// Jobs newest first, optionally only in `experimentID` and `states`.
    func listJobs(experimentID: String?, states: [JobState], maxResults: Int, pageToken: String?) throws -> Page<Job>
    /// Leases the highest-priority, oldest job that is queued or whose lease expired, for `leaseMilliseconds`;
    /// returns nil when there is none. Attempts are counted; the returned job carries a fresh lease token.
    func leaseJob(workerID: String, leaseMilliseconds: Int64) throws -> Job?
    /// Reports progress and extends the lease. - Throws: `.invalidState` when `leaseToken` no longer holds it.
    func updateJobProgress(id: String, leaseToken: String, progress: JobProgress, leaseMilliseconds: Int64) throws
        -> Job
    /// Records the MLflow run the job writes to.
    func setJobRun(id: String, leaseToken: String, runID: String) throws -> Job
    /// Finishes a leased job as SUCCEEDED or FAILED.
    func completeJob(id: String, leaseToken: String, state: JobState, error: String?) throws -> Job
    /// Cancels a job that is not finished yet. - Throws: `.invalidState` for a finished job.
    func cancelJob(id: String) throws -> Job
}
