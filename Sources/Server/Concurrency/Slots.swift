import Synchronization

/// A number of slots that threads take and give back, never more than `limit` taken at once (lock-free).
struct Slots: ~Copyable {
    let limit: Int
    private let taken = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a slot if one is free; a true answer must be paired with `giveBack()`.
    func take() -> Bool {
        if taken.wrappingAdd(1, ordering: .relaxed).newValue > limit {
            taken.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func giveBack() {
        taken.wrappingSubtract(1, ordering: .relaxed)
    }
}
