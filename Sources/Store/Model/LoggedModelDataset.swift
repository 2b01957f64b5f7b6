/// One entry of `logged-models/search`'s `datasets`: metrics logged against this dataset (any digest when
/// `digest` is nil).
public struct LoggedModelDataset: Sendable, Equatable {
    public var name: String
    public var digest: String?

    public init(name: String, digest: String? = nil) {
        self.name = name
        self.digest = digest
    }
}
