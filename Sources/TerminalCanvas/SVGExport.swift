extension Exporters {
    /// The canvas as a standalone SVG picture of a dark terminal window, laid out like Rich's
    /// `Console.export_svg`: cells 12 × 24.4 px (20 px font, aspect 0.6, the advance of DejaVu Sans Mono and most terminal fonts, so box drawing lines up even where `textLength` is ignored), one `<rect>` per run
    /// of background colour, one `<text>` per run of style with `textLength` equal to its cell
    /// count, and styles as deduplicated CSS classes. Secret cells show as "•"; the cursor is not
    /// drawn. Ids and classes use the fixed prefix `tc-`, so the same canvas always gives the same
    /// bytes.
    public static func svg(_ canvas: Canvas, title: String? = nil) -> String {
        SVGRenderer(canvas: canvas, title: title).render()
    }
}

private struct SVGRenderer {
    static let charHeight = 20.0
    static let charWidth = 20.0 * 0.6
    static let lineHeight = 20.0 * 1.22
    static let defaultForeground = "#C5C8C6"
    static let defaultBackground = "#1D1F21"
    static let fontFamily = "'DejaVu Sans Mono', 'Fira Code', 'JetBrains Mono', Menlo, Consolas, 'Liberation Mono', monospace"

    let canvas: Canvas
    let title: String?

    /// The look of a text run, shared by every run that gets the same CSS class.
    struct TextClass: Hashable {
        var fill: String
        var bold: Bool
        var italic: Bool
        var underline: Bool
        var dim: Bool

        var css: String {
            var rules = ["fill: \(fill)"]
            if bold { rules.append("font-weight: bold") }
            if italic { rules.append("font-style: italic") }
            if underline { rules.append("text-decoration: underline") }
            if dim { rules.append("opacity: 0.6") }
            return rules.joined(separator: "; ")
        }
    }

    func render() -> String {
        let cw = Self.charWidth
        let padding = 10.0
        let top = title == nil ? 12.0 : 42.0
        let gridWidth = Double(canvas.width) * cw
        let gridHeight = Double(canvas.height) * Self.lineHeight
        let totalWidth = (gridWidth + 2 * padding).rounded(.up)
        let totalHeight = (top + gridHeight + padding).rounded(.up)
        let n = Escaping.number

        var classes: [TextClass: Int] = [:]
        var classOrder: [TextClass] = []
        var backgrounds = ""
        var texts = ""

        for y in 0..<canvas.height {
            var heads: [(x: Int, cell: Cell)] = []
            for x in 0..<canvas.width where canvas[x, y].width > 0 {
                heads.append((x, canvas[x, y]))
            }
            let rowTop = Double(y) * Self.lineHeight

            // Background runs: consecutive cells painted with the same non-default colour.
            var start = 0
            while start < heads.count {
                let fill = backgroundFill(heads[start].cell.style)
                var end = start + 1
                while end < heads.count && backgroundFill(heads[end].cell.style) == fill { end += 1 }
                if let fill {
                    let columns = heads[start..<end].reduce(0) { $0 + $1.cell.width }
                    backgrounds += "<rect fill=\"\(fill)\" x=\"\(n(Double(heads[start].x) * cw, 2))\" y=\"\(n(rowTop + 1.5, 2))\" width=\"\(n(Double(columns) * cw, 2))\" height=\"\(n(Self.lineHeight + 0.25, 2))\" shape-rendering=\"crispEdges\"/>\n"
                }
                start = end
            }

            // Text runs: consecutive cells of the same style.
            start = 0
            while start < heads.count {
                let style = heads[start].cell.style
                var end = start + 1
                while end < heads.count && heads[end].cell.style == style { end += 1 }
                var run = heads[start..<end]
                if !style.underline {
                    // Trailing spaces draw nothing; the next run has its own x.
                    while let last = run.last, last.cell.shown(masked: true) == " " { run.removeLast() }
                }
                let text = run.map { $0.cell.shown(masked: true) }.joined()
                let columns = run.reduce(0) { $0 + $1.cell.width }
                if !run.isEmpty && (style.underline || text.contains(where: { $0 != " " })) {
                    let key = textClass(style)
                    let number: Int
                    if let known = classes[key] {
                        number = known
                    } else {
                        number = classOrder.count
                        classes[key] = number
                        classOrder.append(key)
                    }
                    texts += "<text class=\"tc-s\(number)\" x=\"\(n(Double(heads[start].x) * cw, 2))\" y=\"\(n(rowTop + Self.charHeight, 2))\" textLength=\"\(n(Double(columns) * cw, 2))\" xml:space=\"preserve\">\(Escaping.xml(text))</text>\n"
                }
                start = end
            }
        }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tc-terminal\" width=\"\(n(totalWidth, 0))\" height=\"\(n(totalHeight, 0))\" viewBox=\"0 0 \(n(totalWidth, 0)) \(n(totalHeight, 0))\">\n"
        svg += "<style>\n"
        svg += ".tc-terminal { font-family: \(Self.fontFamily); font-size: \(n(Self.charHeight, 0))px; font-variant-east-asian: full-width; }\n"
        svg += ".tc-matrix text { white-space: pre; }\n"
        svg += ".tc-title { fill: \(Self.defaultForeground); font-size: 18px; font-weight: bold; opacity: 0.8; }\n"
        for (number, key) in classOrder.enumerated() {
            svg += ".tc-s\(number) { \(key.css); }\n"
        }
        svg += "</style>\n"
        svg += "<defs>\n<clipPath id=\"tc-clip-terminal\">\n<rect x=\"0\" y=\"0\" width=\"\(n(gridWidth, 2))\" height=\"\(n(gridHeight + 2, 2))\"/>\n</clipPath>\n</defs>\n"
        svg += "<rect class=\"tc-window\" fill=\"\(Self.defaultBackground)\" stroke=\"#3A3D41\" stroke-width=\"1\" x=\"0.5\" y=\"0.5\" width=\"\(n(totalWidth - 1, 2))\" height=\"\(n(totalHeight - 1, 2))\" rx=\"8\"/>\n"
        if let title {
            let flat = String(title.map { $0.isNewline || $0 == "\t" ? " " : $0 })
            svg += "<text class=\"tc-title\" x=\"\(n(totalWidth / 2, 2))\" y=\"27\" text-anchor=\"middle\" xml:space=\"preserve\">\(Escaping.xml(flat))</text>\n"
        }
        svg += "<g id=\"tc-screen\" transform=\"translate(\(n(padding, 2)), \(n(top, 2)))\" clip-path=\"url(#tc-clip-terminal)\">\n"
        svg += "<g class=\"tc-backgrounds\">\n" + backgrounds + "</g>\n"
        svg += "<g class=\"tc-matrix\">\n" + texts + "</g>\n"
        svg += "</g>\n</svg>\n"
        return svg
    }

    /// The colour painted behind a cell, or `nil` for the window's own background.
    private func backgroundFill(_ style: Style) -> String? {
        if style.reverse {
            return style.foreground.hexString ?? Self.defaultForeground
        }
        return style.background.hexString
    }

    private func textClass(_ style: Style) -> TextClass {
        let fill = style.reverse
            ? style.background.hexString ?? Self.defaultBackground
            : style.foreground.hexString ?? Self.defaultForeground
        return TextClass(fill: fill, bold: style.bold, italic: style.italic, underline: style.underline, dim: style.dim)
    }
}
