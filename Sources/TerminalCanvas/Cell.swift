/// One character cell of a `Canvas`.
///
/// A wide (2-column) character occupies its own cell (`width` 2) and the cell to its right, a
/// continuation cell (`text` "", `width` 0) with the same style.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster; "" for the right half (continuation) of a wide character.
    public var text: String
    /// Display columns: 1, 2, or 0 for a continuation cell.
    public var width: Int
    public var style: Style
    /// Part of a password or MFA value: every exporter masks it.
    public var secret: Bool

    public init(text: String = " ", width: Int = 1, style: Style = .plain, secret: Bool = false) {
        self.text = text
        self.width = width
        self.style = style
        self.secret = secret
    }

    /// A plain space.
    public static let blank = Cell()

    /// Whether this is the right half of a wide character.
    public var isContinuation: Bool { width == 0 }

    /// The text exporters show: a secret cell's glyph becomes one "•" per column (spaces stay).
    func shown(masked: Bool) -> String {
        guard masked, secret, width > 0, text != " " else { return text }
        return String(repeating: "•", count: width)
    }
}
