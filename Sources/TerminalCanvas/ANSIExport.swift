extension Exporters {
    /// A full frame: clear the screen, draw every row (each placed with CUP, trailing plain
    /// blanks left out, minimal SGR changes), reset attributes, then place and show the cursor
    /// or hide it.
    public static func ansi(_ canvas: Canvas, colors: ColorMode) -> String {
        var writer = ANSIWriter(colors: colors, width: canvas.width)
        writer.output = "\u{1b}[H\u{1b}[2J"
        for y in 0..<canvas.height {
            var last = -1
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if !(cell.text == " " && cell.style == .plain) && cell.width > 0 {
                    last = x
                }
            }
            guard last >= 0 else { continue }
            for x in 0...last {
                let cell = canvas[x, y]
                guard cell.width > 0 else { continue }
                writer.write(cell, x: x, y: y)
            }
        }
        writer.finish(cursor: canvas.cursor, size: canvas.size, alwaysReset: true)
        return writer.output
    }

    /// Only what changed since `previous` (CUP + SGR + text per changed cell, as a terminal driver
    /// writes it), then the cursor. A full frame when `previous` is `nil` or of another size.
    /// Assumes the terminal shows `previous` with attributes reset, which every output of these
    /// exporters leaves behind.
    public static func ansiDiff(from previous: Canvas?, to next: Canvas, colors: ColorMode) -> String {
        guard let previous, previous.size == next.size else {
            return ansi(next, colors: colors)
        }
        var writer = ANSIWriter(colors: colors, width: next.width)
        for change in next.diff(from: previous) where change.cell.width > 0 {
            writer.write(change.cell, x: change.x, y: change.y)
        }
        writer.finish(cursor: next.cursor, size: next.size, alwaysReset: false)
        return writer.output
    }
}

/// The SGR state of a terminal, as parameters already mapped to a colour mode.
private struct SGRState: Equatable {
    var bold = false
    var dim = false
    var italic = false
    var underline = false
    var reverse = false
    /// Colour parameters ("31", "38;5;208"…), "" for the default colour.
    var foreground = ""
    var background = ""

    init() {}

    init(_ style: Style, colors: ColorMode) {
        bold = style.bold
        dim = style.dim
        italic = style.italic
        underline = style.underline
        reverse = style.reverse
        foreground = SGRState.parameters(for: style.foreground, background: false, colors: colors)
        background = SGRState.parameters(for: style.background, background: true, colors: colors)
    }

    static func parameters(for color: Color, background: Bool, colors: ColorMode) -> String {
        if color.isDefault { return "" }
        switch colors {
        case .none:
            return ""
        case .ansi16:
            let n = Int(color.nearest16)
            let base = n < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
            return String(base + n % 8)
        case .indexed256:
            return (background ? "48;5;" : "38;5;") + String(color.nearest256)
        case .truecolor:
            if case let .indexed(index) = color.kind {
                return (background ? "48;5;" : "38;5;") + String(index)
            }
            guard let (r, g, b) = color.rgbComponents else { return "" }
            return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
        }
    }

    /// The SGR sequence that takes a terminal from `self` to `next`, "" when nothing changes.
    func transition(to next: SGRState) -> String {
        guard next != self else { return "" }
        var parameters: [String] = []
        if (bold && !next.bold) || (dim && !next.dim) {
            parameters.append("22")
            if next.bold { parameters.append("1") }
            if next.dim { parameters.append("2") }
        } else {
            if next.bold && !bold { parameters.append("1") }
            if next.dim && !dim { parameters.append("2") }
        }
        if next.italic != italic { parameters.append(next.italic ? "3" : "23") }
        if next.underline != underline { parameters.append(next.underline ? "4" : "24") }
        if next.reverse != reverse { parameters.append(next.reverse ? "7" : "27") }
        if next.foreground != foreground { parameters.append(next.foreground.isEmpty ? "39" : next.foreground) }
        if next.background != background { parameters.append(next.background.isEmpty ? "49" : next.background) }
        return "\u{1b}[" + parameters.joined(separator: ";") + "m"
    }
}

/// Accumulates the escape sequences for drawing cells, tracking the terminal's cursor and SGR
/// state so it only moves and restyles when needed.
private struct ANSIWriter {
    let colors: ColorMode
    let width: Int
    var output = ""
    private var state = SGRState()
    /// Where the terminal's cursor is after the last write, when known.
    private var position: Position?

    init(colors: ColorMode, width: Int) {
        self.colors = colors
        self.width = width
    }

    mutating func write(_ cell: Cell, x: Int, y: Int) {
        if position != Position(x: x, y: y) {
            output += "\u{1b}[\(y + 1);\(x + 1)H"
        }
        let next = SGRState(cell.style, colors: colors)
        output += state.transition(to: next)
        state = next
        output += cell.shown(masked: true)
        let after = x + cell.width
        // At the right margin the cursor stays put (pending wrap), so it is not known.
        position = after < width ? Position(x: after, y: y) : nil
    }

    mutating func finish(cursor: Position?, size: Size, alwaysReset: Bool) {
        if alwaysReset || state != SGRState() {
            output += "\u{1b}[0m"
            state = SGRState()
        }
        if let cursor, size.width > 0, size.height > 0 {
            let x = min(max(cursor.x, 0), size.width - 1)
            let y = min(max(cursor.y, 0), size.height - 1)
            output += "\u{1b}[\(y + 1);\(x + 1)H\u{1b}[?25h"
        } else {
            output += "\u{1b}[?25l"
        }
    }
}
