/// One page of a search plus the opaque token for the next one (nil on the last page).
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    public var nextPageToken: String?

    public init(items: [Element], nextPageToken: String?) {
        self.items = items
        self.nextPageToken = nextPageToken
    }
}
