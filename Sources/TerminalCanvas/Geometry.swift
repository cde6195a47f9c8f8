/// A cell coordinate: `x` is the column, `y` the row, both counted from 0 at the top left.
public struct Position: Hashable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A size in cells: `width` columns by `height` rows.
public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A rectangle of cells: `x..<maxX` columns and `y..<maxY` rows.
///
/// Arithmetic saturates instead of overflowing, and a negative width or height is treated as 0
/// by `intersection` and `contains`, so any value is safe to pass around.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The column just right of the rectangle.
    public var maxX: Int { x.clampedAdding(width) }

    /// The row just below the rectangle.
    public var maxY: Int { y.clampedAdding(height) }

    /// Whether the rectangle covers no cell.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle shrunk by `n` cells on every side (grown when `n` is negative); never
    /// narrower or shorter than 0.
    public func inset(by n: Int) -> Rect {
        let twice = n.clampedMultiplied(by: 2)
        return Rect(
            x: x.clampedAdding(n),
            y: y.clampedAdding(n),
            width: max(0, width.clampedSubtracting(twice)),
            height: max(0, height.clampedSubtracting(twice))
        )
    }

    /// The cells both rectangles cover; width and height are 0 when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let right = min(x.clampedAdding(max(0, width)), other.x.clampedAdding(max(0, other.width)))
        let top = max(y, other.y)
        let bottom = min(y.clampedAdding(max(0, height)), other.y.clampedAdding(max(0, other.height)))
        return Rect(
            x: left,
            y: top,
            width: max(0, right.clampedSubtracting(left)),
            height: max(0, bottom.clampedSubtracting(top))
        )
    }

    /// Whether the cell at `position` lies inside the rectangle.
    public func contains(_ position: Position) -> Bool {
        position.x >= x && position.x < x.clampedAdding(max(0, width))
            && position.y >= y && position.y < y.clampedAdding(max(0, height))
    }
}

extension Int {
    func clampedAdding(_ other: Int) -> Int {
        let (result, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : result
    }

    func clampedSubtracting(_ other: Int) -> Int {
        let (result, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : result
    }

    func clampedMultiplied(by other: Int) -> Int {
        let (result, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : result
    }
}
