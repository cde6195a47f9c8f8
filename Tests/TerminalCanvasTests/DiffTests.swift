import Testing
@testable import TerminalCanvas

@Suite("Canvas diff")
struct DiffTests {
    func canvas(_ rows: [String], width: Int = 6) -> Canvas {
        var canvas = Canvas(width: width, height: rows.count)
        for (y, row) in rows.enumerated() {
            canvas.put(row, x: 0, y: y, style: .plain)
        }
        return canvas
    }

    @Test func noChangeIsEmpty() {
        let frame = canvas(["hello", "日本"])
        #expect(frame.diff(from: frame).isEmpty)
    }

    @Test func oneCharacterChangeIsOneChange() {
        let before = canvas(["hello", "world"])
        var after = before
        after.put("W", x: 0, y: 1, style: .plain)
        #expect(after.diff(from: before) == [CellChange(x: 0, y: 1, cell: Cell(text: "W"))])
        var restyled = before
        restyled.put("o", x: 4, y: 0, style: Style(bold: true))
        #expect(restyled.diff(from: before).map { Position(x: $0.x, y: $0.y) } == [Position(x: 4, y: 0)])
    }

    @Test func changesComeInRowMajorOrder() {
        let before = canvas(["aaaa", "aaaa"])
        var after = before
        after.put("b", x: 3, y: 1, style: .plain)
        after.put("b", x: 0, y: 1, style: .plain)
        after.put("b", x: 2, y: 0, style: .plain)
        #expect(after.diff(from: before).map { [$0.x, $0.y] } == [[2, 0], [0, 1], [3, 1]])
    }

    @Test func nilOrResizedPreviousGivesEveryCell() {
        let frame = canvas(["ab", "cd"], width: 3)
        #expect(frame.diff(from: nil).count == 6)
        #expect(frame.diff(from: canvas(["ab"], width: 3)).count == 6)
        #expect(frame.diff(from: canvas(["ab", "cd"], width: 4)).count == 6)
        #expect(Canvas(width: 0, height: 0).diff(from: nil).isEmpty)
    }

    @Test func fullDiffCoversWideCharactersOnce() {
        let frame = canvas(["日x"], width: 3)
        #expect(frame.diff(from: nil).map(\.x) == [0, 2])
    }

    @Test func newWideCharacterIsOneChange() {
        let before = canvas(["abcd"])
        let after = canvas(["日cd"])
        let changes = after.diff(from: before)
        #expect(changes.count == 1)
        #expect(changes.first == CellChange(x: 0, y: 0, cell: Cell(text: "日", width: 2)))
    }

    @Test func wideCharacterReplacedByNarrowEmitsTheUncoveredCell() {
        let before = canvas(["日本"])
        var after = before
        after.put("a", x: 0, y: 0, style: .plain)
        #expect(after.diff(from: before).map(\.x) == [0, 1])
        #expect(after.diff(from: before).map(\.cell.text) == ["a", " "])
    }

    @Test func wideCharacterShiftedByOneColumn() {
        let before = canvas(["日  "])
        let after = canvas([" 日 "])
        #expect(after.diff(from: before).map(\.x) == [0, 1])
        #expect(before.diff(from: after).map(\.x) == [0, 2])
    }

    @Test func cursorOnlyChangeHasNoCellChanges() {
        let before = canvas(["ab"])
        var after = before
        after.cursor = Position(x: 1, y: 0)
        #expect(after != before)
        #expect(after.diff(from: before).isEmpty)
    }

    @Test func fuzzDiffReplayedOnATerminalGivesTheNewFrame() {
        var rng = SeededGenerator(seed: 99)
        for size in [(1, 1), (4, 2), (9, 4)] {
            var terminal = MiniTerminal(width: size.0, height: size.1)
            var previous: Canvas?
            for _ in 0..<80 {
                var next = previous ?? Canvas(width: size.0, height: size.1)
                scribble(on: &next, &rng)
                let mode = ColorMode.allCases[Int.random(in: 0..<4, using: &rng)]
                terminal.feed(Exporters.ansiDiff(from: previous, to: next, colors: mode))
                for y in 0..<next.height {
                    #expect(terminal.row(y) == next.row(y))
                }
                #expect(terminal.cursorVisible == (next.cursor != nil))
                previous = next
            }
        }
    }
}
