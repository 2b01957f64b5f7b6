/// An alias pointing at a version: `{alias, version}`.
public struct ModelAlias: Sendable, Equatable {
    public var alias: String
    public var version: String
}
