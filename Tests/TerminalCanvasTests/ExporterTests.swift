import Foundation
import Testing
@testable import TerminalCanvas
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects whether XMLParser accepts a document, and every piece of character data in it.
final class XMLCheck: NSObject, XMLParserDelegate {
    var text = ""
    var elements: [String] = []
    var attributes: [[String: String]] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(elementName)
        self.attributes.append(attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    static func parse(_ document: String) -> XMLCheck? {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = check
        return parser.parse() ? check : nil
    }
}

/// The SGR parameter lists (as numbers) in an ANSI output.
func sgrParameters(_ output: String) -> [[Int]] {
    var result: [[Int]] = []
    var rest = Substring(output)
    while let start = rest.range(of: "\u{1b}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(where: { $0.isLetter }) else { break }
        if rest[end] == "m" {
            result.append(rest[..<end].split(separator: ";").compactMap { Int($0) })
        }
        rest = rest[rest.index(after: end)...]
    }
    return result
}

@Suite("Exporters")
struct ExporterTests {
    let orange = Color.rgb(0xEC, 0x70, 0x00)

    func sample() -> Canvas {
        var canvas = Canvas(width: 24, height: 4)
        canvas.box(Rect(x: 0, y: 0, width: 24, height: 4), style: Style(foreground: orange))
        canvas.put("Senha:", x: 2, y: 1, style: Style(bold: true))
        canvas.put("hunter2", x: 9, y: 1, style: Style(underline: true), secret: true)
        canvas.put("<Itaú & \"Cia\" 's>", x: 2, y: 2, style: Style(foreground: .default, background: orange))
        canvas.put("日本", x: 20, y: 2, style: Style(reverse: true))
        canvas.cursor = Position(x: 16, y: 1)
        return canvas
    }

    @Test func textExportMasksAndTrims() {
        var canvas = Canvas(width: 10, height: 3)
        canvas.put("pin", x: 0, y: 0, style: .plain)
        canvas.put("1234", x: 4, y: 0, style: .plain, secret: true)
        canvas.put("x", x: 1, y: 2, style: .plain)
        #expect(Exporters.text(canvas) == "pin ••••\n\n x\n")
        #expect(Exporters.text(Canvas(width: 0, height: 0)) == "\n")
    }

    @Test func svgIsWellFormedAndMasksSecrets() throws {
        let svg = Exporters.svg(sample(), title: "Itaú <update> & \"more\"")
        let check = try #require(XMLCheck.parse(svg))
        #expect(check.elements.first == "svg")
        #expect(check.attributes.first?["viewBox"] != nil)
        #expect(!svg.contains("hunter2"))
        #expect(check.text.contains("•••••••"))
        #expect(check.text.contains("<Itaú & \"Cia\" 's>"))
        #expect(check.text.contains("Itaú <update> & \"more\""))
        #expect(svg.contains("&lt;Itaú &amp; &quot;Cia&quot; &apos;s&gt;"))
        #expect(svg.contains("monospace"))
        #expect(svg.contains("xml:space=\"preserve\""))
    }

    @Test func svgIsDeterministic() {
        #expect(Exporters.svg(sample()) == Exporters.svg(sample()))
        #expect(Exporters.svg(sample(), title: "t") == Exporters.svg(sample(), title: "t"))
    }

    @Test func svgSkipsBlankRunsAndSizesRunsByCells() throws {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("日本", x: 0, y: 0, style: .plain)
        canvas.put("ab", x: 6, y: 0, style: .plain)
        let svg = Exporters.svg(canvas)
        let texts = svg.components(separatedBy: "<text ").count - 1
        #expect(texts == 1)
        // The run is "日本  ab" (8 cells), not 6 characters.
        #expect(svg.contains("textLength=\"96\""))
        #expect(svg.contains(">日本  ab</text>"))
        #expect(!svg.contains("<rect fill="))
    }

    @Test func svgDeduplicatesStyleClassesAndPaintsBackgrounds() throws {
        var canvas = Canvas(width: 12, height: 2)
        let warning = Style(foreground: .rgb(255, 0, 0), bold: true)
        canvas.put("one", x: 0, y: 0, style: warning)
        canvas.put("two", x: 4, y: 0, style: .plain)
        canvas.put("three", x: 0, y: 1, style: warning)
        canvas.put("bg", x: 8, y: 1, style: Style(background: .indexed(4)))
        canvas.put("rev", x: 8, y: 0, style: Style(dim: true, italic: true, reverse: true))
        let svg = Exporters.svg(canvas)
        #expect(svg.contains(".tc-s0 { fill: #FF0000; font-weight: bold; }"))
        #expect(svg.components(separatedBy: "fill: #FF0000").count == 2)
        #expect(svg.contains("<rect fill=\"#0000EE\""))
        #expect(svg.contains("<rect fill=\"#C5C8C6\""))
        #expect(svg.contains("fill: #1D1F21; font-style: italic; opacity: 0.6"))
        #expect(XMLCheck.parse(svg) != nil)
    }

    @Test func svgOfEmptyCanvasParses() {
        #expect(XMLCheck.parse(Exporters.svg(Canvas(width: 0, height: 0))) != nil)
        #expect(XMLCheck.parse(Exporters.svg(Canvas(width: 1, height: 1), title: "\u{0}\u{1b}\n")) != nil)
    }

    @Test func fuzzSVGAlwaysParsesAndNeverLeaksSecrets() {
        var rng = SeededGenerator(seed: 31337)
        for _ in 0..<40 {
            var canvas = Canvas(width: Int.random(in: 0...12, using: &rng), height: Int.random(in: 0...4, using: &rng))
            scribble(on: &canvas, &rng)
            canvas.put("s3cr3tXY", x: 0, y: 0, style: .plain, secret: true)
            let svg = Exporters.svg(canvas, title: randomText(&rng))
            #expect(XMLCheck.parse(svg) != nil)
            #expect(!svg.contains("s3cr"))
        }
    }

    @Test func ansiFullFrameLayout() {
        var canvas = Canvas(width: 5, height: 3)
        canvas.put("hi", x: 1, y: 0, style: .plain)
        canvas.put("yo", x: 0, y: 2, style: .plain)
        #expect(Exporters.ansi(canvas, colors: .truecolor) == "\u{1b}[H\u{1b}[2J\u{1b}[1;1H hi\u{1b}[3;1Hyo\u{1b}[0m\u{1b}[?25l")
        canvas.cursor = Position(x: 3, y: 1)
        #expect(Exporters.ansi(canvas, colors: .none).hasSuffix("\u{1b}[0m\u{1b}[2;4H\u{1b}[?25h"))
    }

    @Test func ansiWithoutColoursWritesOnlyAttributes() {
        var canvas = sample()
        canvas.put("x", x: 1, y: 1, style: Style(foreground: .indexed(9), background: .rgb(1, 2, 3), dim: true, italic: true))
        let output = Exporters.ansi(canvas, colors: .none)
        #expect(!output.contains("38;"))
        #expect(!output.contains("48;"))
        let parameters = sgrParameters(output).flatMap { $0 }
        #expect(!parameters.contains { (30...49).contains($0) || (90...107).contains($0) })
        #expect(parameters.contains(1))
        #expect(parameters.contains(4))
        #expect(parameters.contains(7))
        #expect(parameters.contains(2))
        #expect(parameters.contains(3))
    }

    @Test func ansiColourModesUseTheRightSGR() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("a", x: 0, y: 0, style: Style(foreground: orange))
        canvas.put("b", x: 1, y: 0, style: Style(background: orange))
        canvas.put("c", x: 2, y: 0, style: Style(foreground: .rgb(255, 0, 0), background: .indexed(12)))
        let ansi16 = Exporters.ansi(canvas, colors: .ansi16)
        #expect(ansi16.contains("\u{1b}[33ma\u{1b}[39;43mb\u{1b}[91;104mc"))
        let indexed = Exporters.ansi(canvas, colors: .indexed256)
        #expect(indexed.contains("\u{1b}[38;5;202ma\u{1b}[39;48;5;202mb\u{1b}[38;5;196;48;5;12mc"))
        let truecolor = Exporters.ansi(canvas, colors: .truecolor)
        #expect(truecolor.contains("\u{1b}[38;2;236;112;0ma\u{1b}[39;48;2;236;112;0mb\u{1b}[38;2;255;0;0;48;5;12mc"))
    }

    @Test func ansiAttributeChangesAreMinimal() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("a", x: 0, y: 0, style: Style(bold: true, dim: true))
        canvas.put("b", x: 1, y: 0, style: Style(dim: true))
        canvas.put("c", x: 2, y: 0, style: Style(dim: true, underline: true))
        canvas.put("d", x: 3, y: 0, style: .plain)
        let output = Exporters.ansi(canvas, colors: .indexed256)
        #expect(output.contains("\u{1b}[1;2ma\u{1b}[22;2mb\u{1b}[4mc\u{1b}[22;24md\u{1b}[0m"))
    }

    @Test func ansiMasksSecrets() {
        for mode in ColorMode.allCases {
            let output = Exporters.ansi(sample(), colors: mode)
            #expect(!output.contains("hunter2"))
            #expect(output.contains("•••••••"))
            let diff = Exporters.ansiDiff(from: Canvas(width: 24, height: 4), to: sample(), colors: mode)
            #expect(!diff.contains("hunter2"))
        }
    }

    @Test func ansiDiffWritesOnlyChangedCells() {
        var before = Canvas(width: 8, height: 2)
        before.put("abcdef", x: 0, y: 0, style: .plain)
        var after = before
        after.put("X", x: 3, y: 0, style: .plain)
        after.put("YZ", x: 5, y: 1, style: Style(bold: true))
        after.cursor = Position(x: 0, y: 1)
        #expect(Exporters.ansiDiff(from: before, to: after, colors: .indexed256)
            == "\u{1b}[1;4HX\u{1b}[2;6H\u{1b}[1mYZ\u{1b}[0m\u{1b}[2;1H\u{1b}[?25h")
        #expect(Exporters.ansiDiff(from: after, to: after, colors: .indexed256) == "\u{1b}[2;1H\u{1b}[?25h")
        #expect(Exporters.ansiDiff(from: nil, to: after, colors: .ansi16) == Exporters.ansi(after, colors: .ansi16))
        #expect(Exporters.ansiDiff(from: Canvas(width: 3, height: 3), to: after, colors: .ansi16).hasPrefix("\u{1b}[H\u{1b}[2J"))
    }

    @Test func ansiFullFrameReplaysOnATerminal() {
        var terminal = MiniTerminal(width: 24, height: 4)
        terminal.feed(Exporters.ansi(sample(), colors: .truecolor))
        for y in 0..<4 {
            #expect(terminal.row(y) == sample().row(y))
        }
        #expect(terminal.cursorVisible)
        #expect(Exporters.ansi(Canvas(width: 0, height: 0), colors: .ansi16) == "\u{1b}[H\u{1b}[2J\u{1b}[0m\u{1b}[?25l")
    }
}
