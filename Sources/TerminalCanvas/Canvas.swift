/// A grid of cells that screens draw into, and that every exporter and terminal driver reads.
///
/// Drawing never fails and never crashes: anything outside the canvas (or the clip rectangle) is
/// dropped, control characters are never stored, and wide characters are kept whole (a wide
/// character that does not fit becomes a space).
public struct Canvas: Hashable, Sendable {
    /// Columns, at least 0.
    public let width: Int
    /// Rows, at least 0.
    public let height: Int
    /// The cells, row by row.
    public private(set) var cells: [Cell]
    /// Where the hardware cursor should sit (the focused field), or `nil` to hide it.
    public var cursor: Position?

    /// A canvas filled with spaces in `style`. Negative sizes become 0; a size whose cell count
    /// would overflow `Int` becomes 0×0.
    public init(width: Int, height: Int, style: Style = .plain) {
        var columns = max(0, width)
        var rows = max(0, height)
        let (count, overflow) = columns.multipliedReportingOverflow(by: rows)
        if overflow {
            columns = 0
            rows = 0
        }
        self.width = columns
        self.height = rows
        self.cells = Array(repeating: Cell(style: style), count: overflow ? 0 : count)
        self.cursor = nil
    }

    public var size: Size { Size(width: width, height: height) }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`; `.blank` outside the canvas.
    public subscript(x: Int, y: Int) -> Cell {
        guard let index = index(x, y) else { return .blank }
        return cells[index]
    }

    private func index(_ x: Int, _ y: Int) -> Int? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        return y * width + x
    }

    // MARK: Drawing

    /// Writes `text` on row `y` from column `x`, one grapheme cluster at a time, and returns the
    /// column after the last one written: `x` plus the text's display width, but stopping at the
    /// right edge of the canvas or `clip` when the text is cut there.
    ///
    /// Only cells inside both the canvas and `clip` change. Zero-width clusters (combining marks
    /// on their own, controls such as "\n", "\t" or ESC) are skipped. A wide character takes its
    /// cell and a continuation cell; where it would cross the clip edge a space is written
    /// instead of the visible half. Overwriting either half of an existing wide character blanks
    /// its other half.
    @discardableResult
    public mutating func put(
        _ text: String,
        x: Int,
        y: Int,
        style: Style,
        secret: Bool = false,
        clip: Rect? = nil
    ) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        let left = area.x
        let right = area.maxX
        let rowVisible = y >= area.y && y < area.maxY
        var pen = x
        for character in text {
            let w = TextWidth.of(character)
            if w == 0 { continue }
            if pen >= right { break }
            let next = pen.clampedAdding(w)
            if next > right {
                if rowVisible {
                    for column in max(pen, left)..<right {
                        setCell(Cell(text: " ", width: 1, style: style, secret: secret), x: column, y: y)
                    }
                }
                pen = right
                break
            }
            if rowVisible && next > left {
                if pen >= left {
                    store(character, width: w, x: pen, y: y, style: style, secret: secret)
                } else {
                    for column in left..<next {
                        setCell(Cell(text: " ", width: 1, style: style, secret: secret), x: column, y: y)
                    }
                }
            }
            pen = next
        }
        return pen
    }

    /// Paints every cell of `rect` (clipped to the canvas) with `character` in `style`. A
    /// zero-width character paints spaces; a wide one is repeated and padded with a space.
    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let glyph = TextWidth.of(character) == 0 ? " " : String(character)
        let line = String(repeating: glyph, count: area.width)
        for row in area.y..<area.maxY {
            put(line, x: area.x, y: row, style: style, clip: area)
        }
    }

    /// Draws a one-cell border along the edges of `rect`: rounded corners (╭╮╰╯) or square ones
    /// (┌┐└┘), ─ and │. Nothing happens when `rect` is smaller than 2×2; parts outside the
    /// canvas are dropped.
    public mutating func box(_ rect: Rect, style: Style, rounded: Bool = true) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let corners: (String, String, String, String) = rounded ? ("╭", "╮", "╰", "╯") : ("┌", "┐", "└", "┘")
        let left = rect.x
        let right = rect.maxX.clampedSubtracting(1)
        let top = rect.y
        let bottom = rect.maxY.clampedSubtracting(1)
        func border(_ glyph: String, _ x: Int, _ y: Int) {
            guard index(x, y) != nil else { return }
            setCell(Cell(text: glyph, width: 1, style: style, secret: false), x: x, y: y)
        }
        for column in span(max(left.clampedAdding(1), 0), min(right, width)) {
            border("─", column, top)
            border("─", column, bottom)
        }
        for row in span(max(top.clampedAdding(1), 0), min(bottom, height)) {
            border("│", left, row)
            border("│", right, row)
        }
        border(corners.0, left, top)
        border(corners.1, right, top)
        border(corners.2, left, bottom)
        border(corners.3, right, bottom)
    }

    /// `lower..<upper`, or an empty range when `upper` is below `lower`.
    private func span(_ lower: Int, _ upper: Int) -> Range<Int> {
        lower < upper ? lower..<upper : lower..<lower
    }

    private mutating func store(_ character: Character, width w: Int, x: Int, y: Int, style: Style, secret: Bool) {
        let text = String(character)
        if w == 2 {
            release(x: x, y: y)
            release(x: x + 1, y: y)
            if let head = index(x, y) { cells[head] = Cell(text: text, width: 2, style: style, secret: secret) }
            if let tail = index(x + 1, y) { cells[tail] = Cell(text: "", width: 0, style: style, secret: secret) }
        } else {
            setCell(Cell(text: text, width: 1, style: style, secret: secret), x: x, y: y)
        }
    }

    /// Writes a one-column cell, first blanking the other half of any wide character it hits.
    private mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard let target = index(x, y) else { return }
        release(x: x, y: y)
        cells[target] = cell
    }

    /// Makes the cell at (x, y) independent of its neighbours: if it is half of a wide
    /// character, the other half becomes a space in that character's style.
    private mutating func release(x: Int, y: Int) {
        guard let here = index(x, y) else { return }
        let cell = cells[here]
        if cell.width == 0, let head = index(x - 1, y), cells[head].width == 2 {
            cells[head] = Cell(text: " ", width: 1, style: cells[head].style, secret: false)
        } else if cell.width == 2, let tail = index(x + 1, y), cells[tail].width == 0 {
            cells[tail] = Cell(text: " ", width: 1, style: cells[tail].style, secret: false)
        }
    }

    // MARK: Reading

    /// Row `y` as text, continuation cells skipped; with `masked`, a secret cell that is not a
    /// space shows one "•" per column. "" outside the canvas.
    public func row(_ y: Int, masked: Bool = true) -> String {
        guard y >= 0, y < height else { return "" }
        var line = ""
        for cell in cells[(y * width)..<(y * width + width)] where cell.width > 0 {
            line += cell.shown(masked: masked)
        }
        return line
    }

    /// Every row, masked, trailing spaces trimmed, joined with "\n" (no final newline).
    public var text: String {
        var rows: [String] = []
        rows.reserveCapacity(height)
        for y in 0..<height {
            var line = Substring(row(y))
            while line.last == " " { line.removeLast() }
            rows.append(String(line))
        }
        return rows.joined(separator: "\n")
    }

    /// The cells that differ from `previous`, in row-major order; every cell when `previous` is
    /// `nil` or of another size.
    ///
    /// As in ratatui's `Buffer::diff`, a wide character is one change: its continuation cell is
    /// never emitted, and the cells a changed wide character used to cover are re-emitted even
    /// when they compare equal, since the terminal has lost them.
    public func diff(from previous: Canvas?) -> [CellChange] {
        let old: [Cell]? = previous.flatMap { $0.width == width && $0.height == height ? $0.cells : nil }
        var changes: [CellChange] = []
        for y in 0..<height {
            var toSkip = 0
            var invalidated = 0
            for x in 0..<width {
                let i = y * width + x
                let current = cells[i]
                let before = old?[i]
                if current.width > 0, toSkip == 0, before != current || invalidated > 0 {
                    changes.append(CellChange(x: x, y: y, cell: current))
                }
                toSkip = max(current.width - 1, 0)
                let affected = max(current.width, before?.width ?? 1)
                invalidated = max(max(affected, invalidated) - 1, 0)
            }
        }
        return changes
    }
}

/// One cell a terminal driver has to rewrite: the new cell at (`x`, `y`).
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}
