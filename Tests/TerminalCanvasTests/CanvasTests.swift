import Testing
@testable import TerminalCanvas

@Suite("Canvas drawing")
struct CanvasTests {
    let red = Style(foreground: .indexed(1))

    @Test func sizesAreClamped() {
        let negative = Canvas(width: -3, height: 5)
        #expect(negative.size == Size(width: 0, height: 5))
        #expect(negative.cells.isEmpty)
        #expect(negative.text == "\n\n\n\n")
        let huge = Canvas(width: Int.max, height: 3)
        #expect(huge.size == Size(width: 0, height: 0))
        #expect(Canvas(width: 4, height: 2).bounds == Rect(x: 0, y: 0, width: 4, height: 2))
    }

    @Test func outOfRangeReadsAreBlank() {
        let canvas = Canvas(width: 2, height: 2, style: red)
        #expect(canvas[0, 0].style == red)
        #expect(canvas[-1, 0] == .blank)
        #expect(canvas[2, 0] == .blank)
        #expect(canvas[0, 9] == .blank)
        #expect(canvas.row(-1) == "")
        #expect(canvas.row(2) == "")
    }

    @Test func putWritesAndReturnsTheNextColumn() {
        var canvas = Canvas(width: 10, height: 2)
        #expect(canvas.put("hello", x: 1, y: 0, style: red) == 6)
        #expect(canvas.row(0) == " hello    ")
        #expect(canvas[1, 0] == Cell(text: "h", width: 1, style: red, secret: false))
        #expect(canvas.put("日本", x: 0, y: 1, style: .plain) == 4)
        #expect(canvas[0, 1].width == 2)
        #expect(canvas[1, 1] == Cell(text: "", width: 0, style: .plain, secret: false))
        #expect(canvas.row(1) == "日本      ")
    }

    @Test func putClipsAtTheRightEdge() {
        var canvas = Canvas(width: 5, height: 1)
        #expect(canvas.put("hello world", x: 0, y: 0, style: .plain) == 5)
        #expect(canvas.row(0) == "hello")
        #expect(canvas.put("abc", x: 7, y: 0, style: .plain) == 7)
        #expect(canvas.row(0) == "hello")
    }

    @Test func putClipsNegativeCoordinates() {
        var canvas = Canvas(width: 5, height: 2)
        #expect(canvas.put("hello", x: -2, y: 0, style: .plain) == 3)
        #expect(canvas.row(0) == "llo  ")
        #expect(canvas.put("hello", x: 0, y: -1, style: .plain) == 5)
        #expect(canvas.put("hello", x: 0, y: 2, style: .plain) == 5)
        #expect(canvas.row(1) == "     ")
        #expect(canvas.put("x", x: Int.min, y: Int.max, style: .plain) == Int.min + 1)
        #expect(canvas.put("xy", x: Int.max - 1, y: 0, style: .plain) == Int.max - 1)
    }

    @Test func putClipsToTheClipRect() {
        var canvas = Canvas(width: 10, height: 3)
        let clip = Rect(x: 2, y: 1, width: 4, height: 1)
        #expect(canvas.put("abcdefgh", x: 0, y: 1, style: .plain, clip: clip) == 6)
        #expect(canvas.row(1) == "  cdef    ")
        canvas.put("zzz", x: 2, y: 0, style: .plain, clip: clip)
        #expect(canvas.row(0) == "          ")
        canvas.put("q", x: 0, y: 2, style: .plain, clip: Rect(x: 0, y: 2, width: 0, height: 1))
        #expect(canvas.row(2) == "          ")
    }

    @Test func wideCharacterStraddlingTheRightEdgeBecomesASpace() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.put("xyz", x: 0, y: 0, style: .plain)
        #expect(canvas.put("a日", x: 1, y: 0, style: red) == 3)
        #expect(canvas.row(0) == "xa ")
        #expect(canvas[2, 0] == Cell(text: " ", width: 1, style: red, secret: false))

        var clipped = Canvas(width: 6, height: 1)
        #expect(clipped.put("日本", x: 0, y: 0, style: .plain, clip: Rect(x: 0, y: 0, width: 3, height: 1)) == 3)
        #expect(clipped.row(0) == "日    ")
    }

    @Test func wideCharacterStraddlingTheLeftEdgeBecomesASpace() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("xxxx", x: 0, y: 0, style: .plain)
        #expect(canvas.put("日a", x: -1, y: 0, style: .plain) == 2)
        #expect(canvas.row(0) == " axx")
        canvas.put("本本", x: 0, y: 0, style: .plain, clip: Rect(x: 1, y: 0, width: 3, height: 1))
        #expect(canvas.row(0) == "  本")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("日本語", x: 0, y: 0, style: red)
        canvas.put("x", x: 1, y: 0, style: .plain)
        #expect(canvas.row(0) == " x本語")
        #expect(canvas[0, 0] == Cell(text: " ", width: 1, style: red, secret: false))
        canvas.put("y", x: 2, y: 0, style: .plain)
        #expect(canvas.row(0) == " xy 語")
        canvas.put("中", x: 3, y: 0, style: .plain)
        #expect(canvas.row(0) == " xy中 ")
        #expect(canvas[5, 0].width == 1)
    }

    @Test func zeroWidthAndControlCharactersAreNeverStored() {
        var canvas = Canvas(width: 12, height: 1)
        #expect(canvas.put("\u{301}a\nb\tc\u{1b}[0m\u{200B}", x: 0, y: 0, style: .plain) == 6)
        #expect(canvas.row(0) == "abc[0m      ")
        #expect(canvas.put("e\u{301}!", x: 0, y: 0, style: .plain) == 2)
        #expect(canvas[0, 0].text == "e\u{301}")
    }

    @Test func fillPaintsTheClippedRect() {
        var canvas = Canvas(width: 4, height: 3)
        let blue = Style(background: .indexed(4))
        canvas.fill(Rect(x: 2, y: 1, width: 10, height: 10), style: blue, character: "#")
        #expect(canvas.text == "\n  ##\n  ##")
        #expect(canvas[3, 2].style == blue)
        #expect(canvas[1, 1].style == .plain)
        canvas.fill(Rect(x: 0, y: 0, width: 3, height: 1), style: .plain, character: "日")
        #expect(canvas.row(0) == "日  ")
        canvas.fill(Rect(x: 0, y: 0, width: 4, height: 1), style: .plain, character: "\u{301}")
        #expect(canvas.row(0) == "    ")
        canvas.fill(Rect(x: Int.min, y: Int.min, width: Int.max, height: Int.max), style: .plain)
    }

    @Test func boxDrawsTheBorder() {
        var canvas = Canvas(width: 5, height: 4)
        canvas.box(Rect(x: 0, y: 0, width: 5, height: 3), style: red)
        #expect(canvas.text == "╭───╮\n│   │\n╰───╯\n")
        #expect(canvas[0, 0].style == red)
        canvas.box(Rect(x: 1, y: 1, width: 2, height: 2), style: .plain, rounded: false)
        #expect(canvas.text == "╭───╮\n│┌┐ │\n╰└┘─╯\n")
    }

    @Test func boxSmallerThanTwoByTwoIsANoOp() {
        var canvas = Canvas(width: 3, height: 3)
        canvas.box(Rect(x: 0, y: 0, width: 1, height: 3), style: .plain)
        canvas.box(Rect(x: 0, y: 0, width: 3, height: 1), style: .plain)
        canvas.box(Rect(x: 0, y: 0, width: -5, height: -5), style: .plain)
        #expect(canvas == Canvas(width: 3, height: 3))
    }

    @Test func boxPartlyOffTheCanvas() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.box(Rect(x: -1, y: -1, width: 4, height: 3), style: .plain)
        #expect(canvas.text == "  │\n──╯")
        canvas.box(Rect(x: Int.max - 1, y: Int.max - 1, width: Int.max, height: Int.max), style: .plain)
        canvas.box(Rect(x: Int.min, y: Int.min, width: Int.max, height: Int.max), style: .plain)
    }

    @Test func boxOverAWideCharacterBlanksItsOtherHalf() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.put("日本", x: 0, y: 0, style: .plain)
        canvas.box(Rect(x: 1, y: 0, width: 2, height: 2), style: .plain)
        #expect(canvas.row(0) == " ╭╮ ")
    }

    @Test func rowAndTextMaskSecrets() {
        var canvas = Canvas(width: 12, height: 2)
        canvas.put("pwd:", x: 0, y: 0, style: .plain)
        canvas.put("hunter 2", x: 4, y: 0, style: .plain, secret: true)
        canvas.put("日", x: 0, y: 1, style: .plain, secret: true)
        #expect(canvas.row(0) == "pwd:•••••• •")
        #expect(canvas.row(0, masked: false) == "pwd:hunter 2")
        #expect(canvas.row(1) == "••          ")
        #expect(canvas.text == "pwd:•••••• •\n••")
        #expect(!canvas.text.contains("hunter"))
    }

    @Test func rectArithmetic() {
        let rect = Rect(x: 2, y: 3, width: 10, height: 4)
        #expect(rect.maxX == 12)
        #expect(rect.maxY == 7)
        #expect(rect.inset(by: 1) == Rect(x: 3, y: 4, width: 8, height: 2))
        #expect(rect.inset(by: 3) == Rect(x: 5, y: 6, width: 4, height: 0))
        #expect(rect.inset(by: -1) == Rect(x: 1, y: 2, width: 12, height: 6))
        #expect(rect.intersection(Rect(x: 0, y: 0, width: 5, height: 5)) == Rect(x: 2, y: 3, width: 3, height: 2))
        #expect(rect.intersection(Rect(x: 50, y: 50, width: 5, height: 5)).isEmpty)
        #expect(rect.contains(Position(x: 2, y: 3)))
        #expect(!rect.contains(Position(x: 12, y: 3)))
        #expect(Rect(x: Int.max, y: 0, width: Int.max, height: 1).maxX == Int.max)
        #expect(Rect(x: Int.min, y: 0, width: 1, height: 1).inset(by: Int.max).width == 0)
    }

    @Test func fuzzNeverCrashesAndKeepsWideCharactersWhole() {
        var rng = SeededGenerator(seed: 2024)
        for size in [(0, 0), (1, 1), (0, 3), (3, 0), (2, 1), (7, 3), (13, 5)] {
            for _ in 0..<60 {
                var canvas = Canvas(width: size.0, height: size.1)
                scribble(on: &canvas, &rng)
                for y in 0..<canvas.height {
                    for x in 0..<canvas.width {
                        let cell = canvas[x, y]
                        #expect(!cell.text.unicodeScalars.contains { $0.properties.generalCategory == .control })
                        switch cell.width {
                        case 2:
                            #expect(canvas[x + 1, y].width == 0 && x + 1 < canvas.width)
                            #expect(TextWidth.of(cell.text) == 2)
                        case 0:
                            #expect(x > 0 && canvas[x - 1, y].width == 2)
                            #expect(cell.text.isEmpty)
                        default:
                            #expect(cell.width == 1 && TextWidth.of(cell.text) == 1)
                        }
                    }
                    #expect((0..<canvas.width).reduce(0) { $0 + canvas[$1, y].width } == canvas.width)
                }
                _ = Exporters.text(canvas)
                _ = Exporters.svg(canvas, title: randomText(&rng))
                for mode in ColorMode.allCases {
                    _ = Exporters.ansi(canvas, colors: mode)
                }
            }
        }
    }
}
