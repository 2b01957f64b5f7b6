internal import CLibPQ

/// Owns one `PGresult*`; `PQclear` runs in deinit so no branch can leak it (STYLE.md patterns 5 and 6).
struct PGResult: ~Copyable {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { LibPQ.api.clear(handle) }

    var status: ExecStatusType { LibPQ.api.resultStatus(handle) }

    var isSuccess: Bool {
        let s = status
        return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY
    }

    func error(sql: String?) -> PostgresError {
        let state = LibPQ.api.resultErrorField(handle, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = LibPQ.api.resultErrorField(handle, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let fallback = String(cString: LibPQ.api.resultErrorMessage(handle))
        return PostgresError(sqlState: state ?? "connection", message: primary ?? fallback, sql: sql)
    }

    var affectedRows: Int { Int(String(cString: LibPQ.api.cmdTuples(handle))) ?? 0 }

    /// The rows, typed by column OID: integers and floats become numbers, everything else text.
    func rows() -> [Row] {
        // Once per result, not per cell: `LibPQ.api` checks its one-time load on every access.
        let pq = LibPQ.api
        let rowCount = pq.ntuples(handle)
        let columnCount = pq.nfields(handle)
        var kinds: [ColumnKind] = []
        for column in 0..<columnCount { kinds.append(ColumnKind(oid: pq.ftype(handle, column))) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if pq.getisnull(handle, row, column) == 1 {
                    values.append(.null)
                    continue
                }
                let text = String(cString: pq.getvalue(handle, row, column))
                switch kinds[Int(column)] {
                case .integer: values.append(Int64(text).map(SQLValue.integer) ?? .text(text))
                case .real: values.append(Double(text).map(SQLValue.real) ?? .text(text))
                case .boolean: values.append(.integer(text == "t" ? 1 : 0))
                case .text: values.append(.text(text))
                case .bytea: values.append(PGByteaText.decode(text).map(SQLValue.blob) ?? .text(text))
                }
            }
            rows.append(Row(values: values))
        }
        return rows
    }

    private enum ColumnKind {
        case integer, real, boolean, bytea, text

        // OIDs from pg_type.dat: int8 20, int2 21, int4 23, float4 700, float8 701, numeric 1700, bool 16, bytea 17.
        init(oid: Oid) {
            switch oid {
            case 20, 21, 23: self = .integer
            case 700, 701, 1700: self = .real
            case 16: self = .boolean
            case 17: self = .bytea
            default: self = .text
            }
        }
    }
}
