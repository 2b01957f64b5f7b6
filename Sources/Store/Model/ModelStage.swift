/// Model-version stages, canonicalised case-insensitively (MLFLOW_API.md §6).
public enum ModelStage: String, Sendable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name case-insensitively. - Throws: `.invalidParameter` for an unknown stage.
    public init(parsing text: String) throws {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw StoreError.invalidParameter(
                "Invalid Model Version stage: \(text). Value must be one of None, Staging, Production, Archived.")
        }
        self = stage
    }
}
