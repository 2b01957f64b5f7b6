import ArgumentParser
import CMalloc
import Dispatch
import Server
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `mixbit serve`: the tracking server. Every option can also come from a MIXBIT_* environment variable
/// (the flag wins when both are given).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server (MLflow tracking API, model registry, artifacts).")

    @Option(help: "Address to listen on. [env: MIXBIT_HOST] (default: 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. [env: MIXBIT_PORT] (default: 5000)")
    var port: UInt16?

    @Option(help: "sqlite:///path.db or postgresql://user:pass@host:port/db. [env: MIXBIT_BACKEND_STORE_URI] (default: sqlite:///./mixbit-data/mixbit.db)")
    var backendStoreUri: String?

    @Option(help: "Directory where artifacts are stored. [env: MIXBIT_ARTIFACTS_DESTINATION] (default: ./mixbit-data/artifacts)")
    var artifactsDestination: String?

    @Option(help: "Local quantization worker processes to supervise; validated and logged until the job runner lands. [env: MIXBIT_WORKERS] (default: 1)")
    var workers: Int?

    @Option(help: "debug, info, warning, error or off. [env: MIXBIT_LOG_LEVEL] (default: info)")
    var logLevel: String?

    @Option(help: "Event-loop threads. [env: MIXBIT_LOOP_THREADS] (default: number of cores, at most 4)")
    var loopThreads: Int?

    @Option(help: "Handler threads. [env: MIXBIT_HANDLER_THREADS] (default: 16)")
    var handlerThreads: Int?

    @Option(help: "Largest request line plus headers, in bytes. [env: MIXBIT_MAX_HEADER_BYTES] (default: 65536)")
    var maxHeaderBytes: Int?

    @Option(help: "Largest JSON request body, in bytes. [env: MIXBIT_MAX_BODY_BYTES] (default: 67108864)")
    var maxBodyBytes: Int?

    @Option(help: "Seconds allowed to receive a request's headers. [env: MIXBIT_HEADER_TIMEOUT] (default: 30)")
    var headerTimeout: Double?

    @Option(help: "Seconds an idle keep-alive connection stays open. [env: MIXBIT_IDLE_TIMEOUT] (default: 75)")
    var idleTimeout: Double?

    @Option(help: "Most concurrent connections. [env: MIXBIT_MAX_CONNECTIONS] (default: 10000)")
    var maxConnections: Int?

    @Flag(inversion: .prefixedNo, help: "Log one line per request. [env: MIXBIT_ACCESS_LOG=0|1]")
    var accessLog: Bool?

    @Flag(help: "Do not apply migrations at start (PostgreSQL); refuse to run unless the schema is current. [env: MIXBIT_NO_MIGRATE=1]")
    var noMigrate = false

    @Flag(help: "SQLite synchronous=FULL: acknowledged writes also survive power loss, at a cost per commit. The default (NORMAL) survives a crash or kill -9. [env: MIXBIT_SQLITE_SYNC_FULL=1]")
    var sqliteSyncFull = false

    func validate() throws {
        if let workers = try setting(workers, "MIXBIT_WORKERS", Int.init), workers < 0 {
            throw ValidationError("--workers must be 0 or more")
        }
        if let level = try setting(logLevel, "MIXBIT_LOG_LEVEL", { $0 }), Logger.Level(name: level) == nil {
            throw ValidationError("--log-level must be one of debug, info, warning, error, off")
        }
        for (value, name) in [(loopThreads, "--loop-threads"), (handlerThreads, "--handler-threads"), (maxConnections, "--max-connections")] {
            if let value, value <= 0 { throw ValidationError("\(name) must be positive") }
        }
    }

    func run() throws {
        // glibc gives each thread that mallocs its own arena (up to 8 per core); with 16 handler threads that
        // multiplies the server's resident memory for no throughput gain here. Two arenas are enough.
        _ = cmalloc_limit_arenas(2)
        // Blocks of 1 MiB and more get their own mapping, returned to the system when freed, instead of staying
        // resident in an arena after the request. Not lower: at 128 KiB every 5 000-point history response (~400 KB
        // of JSON) was a fresh mapping, and page faults, zeroing and munmap's TLB shootdowns took 44 % of the
        // server's time (perf); at 1 MiB get-history went from 280–330 to 490–570 requests/s and the RSS after
        // the tracking benchmark from 39–42 to 43 MiB (bench/README.md, tracking).
        _ = cmalloc_set_mmap_threshold(1024 * 1024)
        let environment = Environment()
        var configuration = HTTPServer.Configuration()
        configuration.host = try setting(host, "MIXBIT_HOST", { $0 }) ?? "127.0.0.1"
        configuration.port = try setting(port, "MIXBIT_PORT", UInt16.init) ?? 5000
        configuration.loopThreads = try setting(loopThreads, "MIXBIT_LOOP_THREADS", Int.init) ?? min(4, max(1, environment.cores))
        configuration.handlerThreads = try setting(handlerThreads, "MIXBIT_HANDLER_THREADS", Int.init) ?? 16
        configuration.maxHeaderBytes = try setting(maxHeaderBytes, "MIXBIT_MAX_HEADER_BYTES", Int.init) ?? configuration.maxHeaderBytes
        configuration.maxBodyBytes = try setting(maxBodyBytes, "MIXBIT_MAX_BODY_BYTES", Int.init) ?? configuration.maxBodyBytes
        configuration.headerTimeoutSeconds = try setting(headerTimeout, "MIXBIT_HEADER_TIMEOUT", Double.init) ?? configuration.headerTimeoutSeconds
        configuration.idleTimeoutSeconds = try setting(idleTimeout, "MIXBIT_IDLE_TIMEOUT", Double.init) ?? configuration.idleTimeoutSeconds
        configuration.maxConnections = try setting(maxConnections, "MIXBIT_MAX_CONNECTIONS", Int.init) ?? configuration.maxConnections
        configuration.accessLog = try setting(accessLog, "MIXBIT_ACCESS_LOG", parseFlag) ?? true
        let level = Logger.Level(name: try setting(logLevel, "MIXBIT_LOG_LEVEL", { $0 }) ?? "info") ?? .info
        configuration.logger = Logger(level: level)

        // Room for every allowed connection, plus the store's files, the listener and artifact transfers in flight.
        let wantedDescriptors = UInt64(configuration.maxConnections) + 256
        if let soft = OpenFileLimit.raise(toward: wantedDescriptors), soft < wantedDescriptors {
            configuration.logger.warning(
                "open-file limit \(soft) could not be raised to --max-connections + 256 (\(wantedDescriptors)); "
                    + "clients beyond it are refused (see LimitNOFILE or ulimit -Hn, and fs.nr_open)")
        }

        let storeURI = try setting(backendStoreUri, "MIXBIT_BACKEND_STORE_URI", { $0 }) ?? "sqlite:///./mixbit-data/mixbit.db"
        let location: StoreLocation
        do {
            location = try StoreLocation(uri: storeURI)
        } catch {
            throw ValidationError(error.description)
        }
        let artifacts = try setting(artifactsDestination, "MIXBIT_ARTIFACTS_DESTINATION", { $0 }) ?? "./mixbit-data/artifacts"
        let workerCount = try setting(workers, "MIXBIT_WORKERS", Int.init) ?? 1

        var storeOptions = StoreOptions()
        let noMigrateSetting = try setting(noMigrate ? true : nil, "MIXBIT_NO_MIGRATE", parseFlag) ?? false
        // Migrations always apply to the embedded SQLite database; --no-migrate is for shared PostgreSQL.
        if case .postgres = location { storeOptions.applyMigrations = !noMigrateSetting }
        // One SQLite reader per handler thread (up to 32), so a handler rarely sleeps waiting for a connection: with
        // 4 readers and 8 clients searching, half the handlers queued for one, and runs/search answered 5–20 % fewer
        // requests (bench/tracking/ab.sh, bench/README.md). An idle reader costs a descriptor; its page cache (at
        // most 1 MiB) fills only as it is used, and the pool hands out the most recently returned reader first.
        storeOptions.sqliteReaderCount = min(configuration.handlerThreads, 32)
        storeOptions.sqliteSynchronousFull = try setting(sqliteSyncFull ? true : nil, "MIXBIT_SQLITE_SYNC_FULL", parseFlag) ?? false
        if case .sqlite(let path) = location, path != ":memory:", let slash = path.lastIndex(of: "/") {
            let directory = String(path[..<slash])
            do {
                try Directories.create(directory)
            } catch {
                throw ValidationError("cannot create the database directory \(directory): \(error)")
            }
        }
        let store: SQLStore
        do {
            store = try SQLStore.open(location, options: storeOptions)
        } catch {
            throw ValidationError("cannot open the backend store (\(location.kindDescription)): \(error)")
        }
        defer { store.close() }

        let artifactRoot: ArtifactRoot
        do {
            artifactRoot = try ArtifactRoot(path: artifacts)
        } catch {
            throw ValidationError("cannot create the artifact directory \(artifacts): \(error)")
        }

        var router = Router()
        SystemRoutes.register(on: &router, version: MixbitVersion.string)
        ArtifactRoutes.register(on: &router, root: artifactRoot)
        TrackingRoutes.register(on: &router, store: store)
        LoggedModelRoutes.register(on: &router, store: store, artifacts: artifactRoot)
        RegistryRoutes.register(on: &router, store: store)

        let server = HTTPServer(configuration: configuration, router: router)
        // SIGINT and SIGTERM start a graceful shutdown; the default action would kill in-flight requests.
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                configuration.logger.info("signal=\(number) shutting down")
                server.shutdown()
            }
            source.resume()
            return source
        }
        try server.start()
        configuration.logger.info("store=\(location.kindDescription) artifacts=\(artifacts) workers_requested=\(workerCount)")
        server.waitUntilStopped()
        signals.forEach { $0.cancel() }
        configuration.logger.info("stopped")
    }

    /// A boolean environment variable: 1 or true (any case) is on, 0 or false is off.
    private func parseFlag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true": return true
        case "0", "false": return false
        default: return nil
        }
    }

    /// The flag's value, else the environment variable parsed by `parse`, else nil.
    private func setting<T>(_ flag: T?, _ variable: String, _ parse: (String) -> T?) throws -> T? {
        if let flag { return flag }
        guard let raw = getenv(variable).map({ String(cString: $0) }), !raw.isEmpty else { return nil }
        guard let value = parse(raw) else { throw ValidationError("\(variable)=\(raw) is not a valid value") }
        return value
    }
}

/// Facts about the machine the command runs on.
struct Environment {
    var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

extension StoreLocation {
    /// The backend's kind, never its URI (which may hold a password).
    var kindDescription: String {
        switch self {
        case .sqlite(let path): return "sqlite path=\(path)"
        case .postgres: return "postgresql"
        }
    }
}
