/// One result row, materialised so it outlives the C statement or result it came from.
struct Row: Sendable {
    let values: [SQLValue]

    subscript(_ index: Int) -> SQLValue { values[index] }

    func int64(_ i: Int) -> Int64 { values[i].int64 ?? 0 }
    func optionalInt64(_ i: Int) -> Int64? { values[i].int64 }
    func double(_ i: Int) -> Double { values[i].double ?? 0 }
    func string(_ i: Int) -> String { values[i].string ?? "" }
    func optionalString(_ i: Int) -> String? { values[i].string }
    func optionalBytes(_ i: Int) -> [UInt8]? { values[i].bytes }
    func bool(_ i: Int) -> Bool { (values[i].int64 ?? 0) != 0 }
}
