/// Why a JSON text could not be parsed: the byte offset and what was wrong there.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "Malformed JSON at byte \(offset): \(reason)" }
}
