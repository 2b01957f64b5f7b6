/// Random run names of the form `adjective-noun-NNN` (at most 20 characters), as MLflow gives unnamed runs.
enum RunNameGenerator {
    private static let adjectives = [
        "bold", "calm", "brave", "clever", "eager", "fast", "gentle", "happy", "keen", "lucky", "merry", "nimble",
        "quiet", "rare", "sharp", "smart", "swift", "tidy", "vast", "wise",
    ]
    private static let nouns = [
        "ant", "bass", "bee", "cat", "crab", "deer", "duck", "fox", "gull", "hawk", "lark", "lynx", "mole", "moth",
        "owl", "ram", "seal", "toad", "wasp", "wolf",
    ]

    static func make() -> String {
        "\(adjectives.randomElement()!)-\(nouns.randomElement()!)-\(Int.random(in: 0..<1000))"
    }
}
