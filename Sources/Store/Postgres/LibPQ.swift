internal import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// libpq's entry points, loaded with `dlopen` on the first PostgreSQL connection instead of linked into the binary.
/// libpq brings OpenSSL, Kerberos, LDAP, SASL and GnuTLS with it: linked, they cost every `mixbit serve` process
/// about 5 MiB of resident memory (measured with /proc/PID/smaps), SQLite users included.
///
/// CLibPQ supplies only the declarations (types, enumerations); nothing links `-lpq`.
struct LibPQ: @unchecked Sendable {
    /// The shared library's name: Debian's libpq5 package (a dependency of libpq-dev).
    static let libraryName = "libpq.so.5"

    /// The entry points, or why they could not be loaded (reported by `PGConnection.init`).
    static let loaded: Result<LibPQ, PostgresError> = load()

    /// The entry points once a connection exists (which needed them loaded).
    static var api: LibPQ {
        switch loaded {
        case .success(let api): return api
        case .failure(let error): preconditionFailure("libpq used before a connection was made: \(error.message)")
        }
    }

    // The C function types, as libpq-fe.h declares them. PQerrorMessage, PQresultErrorMessage, PQcmdTuples and
    // PQgetvalue never return NULL (an empty string instead), so those results are not optional.
    typealias ConnectDB = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ConnectionStatus = @convention(c) (OpaquePointer?) -> ConnStatusType
    typealias ConnectionMessage = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>
    typealias Finish = @convention(c) (OpaquePointer?) -> Void
    typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ExecPrepared = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<UnsafePointer<CChar>?>?,
                                             UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    typealias Prepare = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?)
        -> OpaquePointer?
    typealias Clear = @convention(c) (OpaquePointer?) -> Void
    typealias ResultStatus = @convention(c) (OpaquePointer?) -> ExecStatusType
    typealias ResultErrorField = @convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?
    typealias ResultText = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>
    typealias ResultCount = @convention(c) (OpaquePointer?) -> Int32
    typealias FieldType = @convention(c) (OpaquePointer?, Int32) -> Oid
    typealias IsNull = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    typealias Value = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>

    let connectdb: ConnectDB
    let status: ConnectionStatus
    let errorMessage: ConnectionMessage
    let finish: Finish
    let exec: Exec
    let execPrepared: ExecPrepared
    let prepare: Prepare
    let clear: Clear
    let resultStatus: ResultStatus
    let resultErrorField: ResultErrorField
    let resultErrorMessage: ResultText
    let cmdTuples: ResultText
    let ntuples: ResultCount
    let nfields: ResultCount
    let ftype: FieldType
    let getisnull: IsNull
    let getvalue: Value

    private static func load() -> Result<LibPQ, PostgresError> {
        func failure(_ reason: String) -> PostgresError {
            PostgresError(sqlState: "connection",
                          message: "the PostgreSQL backend needs libpq (\(libraryName), Debian package libpq5): \(reason)",
                          sql: nil)
        }
        #if canImport(Glibc)
        guard let library = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(failure(String(cString: dlerror())))
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(PostgresError) -> T {
            guard let address = dlsym(library, name) else { throw failure("no symbol \(name)") }
            return unsafeBitCast(address, to: type)
        }
        do {
            return .success(LibPQ(
                connectdb: try symbol("PQconnectdb", ConnectDB.self),
                status: try symbol("PQstatus", ConnectionStatus.self),
                errorMessage: try symbol("PQerrorMessage", ConnectionMessage.self),
                finish: try symbol("PQfinish", Finish.self),
                exec: try symbol("PQexec", Exec.self),
                execPrepared: try symbol("PQexecPrepared", ExecPrepared.self),
                prepare: try symbol("PQprepare", Prepare.self),
                clear: try symbol("PQclear", Clear.self),
                resultStatus: try symbol("PQresultStatus", ResultStatus.self),
                resultErrorField: try symbol("PQresultErrorField", ResultErrorField.self),
                resultErrorMessage: try symbol("PQresultErrorMessage", ResultText.self),
                cmdTuples: try symbol("PQcmdTuples", ResultText.self),
                ntuples: try symbol("PQntuples", ResultCount.self),
                nfields: try symbol("PQnfields", ResultCount.self),
                ftype: try symbol("PQftype", FieldType.self),
                getisnull: try symbol("PQgetisnull", IsNull.self),
                getvalue: try symbol("PQgetvalue", Value.self)))
        } catch {
            return .failure(error)
        }
        #else
        return .failure(failure("dlopen is only wired up for Linux"))
        #endif
    }
}
