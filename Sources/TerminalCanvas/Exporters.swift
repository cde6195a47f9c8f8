/// How many colours an ANSI output may use.
public enum ColorMode: String, Sendable, CaseIterable {
    /// No colour SGR at all; bold, dim, italic, underline and reverse are still written.
    case none
    /// The 16 ANSI colours (SGR 30–37, 90–97, 40–47, 100–107), each colour mapped to the nearest.
    case ansi16
    /// The xterm 256-colour palette (SGR 38;5;n and 48;5;n).
    case indexed256
    /// 24-bit colour (SGR 38;2;r;g;b); palette colours stay palette indexes.
    case truecolor
}

/// Turns a `Canvas` into text, SVG, or ANSI escape sequences. Every exporter masks secret cells.
public enum Exporters {
    /// The canvas as plain text: `canvas.text` plus a final newline.
    public static func text(_ canvas: Canvas) -> String {
        canvas.text + "\n"
    }
}
