/// The version reported by `mixbit --version` and `GET /version`.
enum MixbitVersion {
    static let string = "0.1.0"
}
