@testable import TerminalCanvas

/// A seeded SplitMix64 generator, so fuzz runs are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Tricky text fragments for fuzzing: wide, emoji, combining, controls, XML specials.
let fuzzPieces: [String] = [
    "a", "b", "Z", " ", "  ", "日", "本", "語", "한", "ｱ", "Ａ", "👍", "👍🏽", "👨‍👩‍👧‍👦", "🇧🇷", "❤️",
    "1️⃣", "e\u{301}", "\u{301}", "\u{200B}", "\u{200D}", "\n", "\t", "\r\n", "\u{1b}", "\u{1b}[31m",
    "\u{0}", "\u{7f}", "\u{85}", "\u{2028}", "ç", "ã", "…", "•", "<", "&", ">", "\"", "'", "\u{FFFE}",
    "\u{FEFF}", "\u{E000}", "𝔘", "\u{0600}", "ก\u{E31}", "\u{1100}\u{1161}\u{11A8}",
]

func randomText(_ rng: inout SeededGenerator) -> String {
    var text = ""
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
        if Int.random(in: 0..<6, using: &rng) == 0 {
            if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) {
                text.unicodeScalars.append(scalar)
            }
        } else {
            text += fuzzPieces[Int.random(in: 0..<fuzzPieces.count, using: &rng)]
        }
    }
    return text
}

func randomStyle(_ rng: inout SeededGenerator) -> Style {
    let colors: [Color] = [.default, .indexed(1), .indexed(208), .rgb(236, 112, 0), .rgb(0, 0, 0), .rgb(255, 255, 255)]
    return Style(
        foreground: colors[Int.random(in: 0..<colors.count, using: &rng)],
        background: colors[Int.random(in: 0..<colors.count, using: &rng)],
        bold: Bool.random(using: &rng),
        dim: Bool.random(using: &rng),
        italic: Bool.random(using: &rng),
        underline: Bool.random(using: &rng),
        reverse: Bool.random(using: &rng)
    )
}

/// Draws a few random things into `canvas`.
func scribble(on canvas: inout Canvas, _ rng: inout SeededGenerator) {
    for _ in 0..<Int.random(in: 0...6, using: &rng) {
        let x = Int.random(in: -4...(canvas.width + 3), using: &rng)
        let y = Int.random(in: -2...(canvas.height + 1), using: &rng)
        let clip: Rect? = Bool.random(using: &rng)
            ? Rect(x: Int.random(in: -3...6, using: &rng), y: Int.random(in: -3...4, using: &rng),
                   width: Int.random(in: -2...8, using: &rng), height: Int.random(in: -2...5, using: &rng))
            : nil
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            canvas.fill(Rect(x: x, y: y, width: Int.random(in: -1...6, using: &rng), height: 2),
                        style: randomStyle(&rng), character: Bool.random(using: &rng) ? "日" : "#")
        case 1:
            canvas.box(Rect(x: x, y: y, width: Int.random(in: 0...8, using: &rng), height: Int.random(in: 0...5, using: &rng)),
                       style: randomStyle(&rng), rounded: Bool.random(using: &rng))
        default:
            canvas.put(randomText(&rng), x: x, y: y, style: randomStyle(&rng), secret: Int.random(in: 0..<4, using: &rng) == 0, clip: clip)
        }
    }
    if Bool.random(using: &rng) {
        canvas.cursor = Position(x: Int.random(in: -1...canvas.width, using: &rng), y: Int.random(in: -1...canvas.height, using: &rng))
    } else {
        canvas.cursor = nil
    }
}

/// A minimal terminal screen: applies CUP, ED 2, SGR (ignored), cursor show/hide and printable
/// text the way xterm does, so tests can check what ANSI output actually draws.
struct MiniTerminal {
    let width: Int
    let height: Int
    /// Cell text per row; "" marks the right half of a wide character.
    var grid: [[String]]
    var x = 0
    var y = 0
    var cursorVisible = true

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        grid = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    mutating func feed(_ output: String) {
        let scalars = Array(output.unicodeScalars)
        var i = 0
        var pending = ""
        func flushText() {
            for character in pending { printCharacter(character) }
            pending = ""
        }
        while i < scalars.count {
            if scalars[i] == "\u{1b}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                flushText()
                var j = i + 2
                var parameters = ""
                while j < scalars.count, !(0x40...0x7E).contains(scalars[j].value) {
                    parameters.unicodeScalars.append(scalars[j])
                    j += 1
                }
                let final = j < scalars.count ? scalars[j] : "?"
                control(parameters, final)
                i = j + 1
            } else {
                pending.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        flushText()
    }

    private mutating func control(_ parameters: String, _ final: Unicode.Scalar) {
        switch final {
        case "H":
            let numbers = parameters.split(separator: ";").map { Int($0) ?? 1 }
            y = max(1, numbers.first ?? 1) - 1
            x = max(1, numbers.count > 1 ? numbers[1] : 1) - 1
        case "J":
            grid = Array(repeating: Array(repeating: " ", count: width), count: height)
        case "h" where parameters == "?25": cursorVisible = true
        case "l" where parameters == "?25": cursorVisible = false
        default: break
        }
    }

    private mutating func printCharacter(_ character: Character) {
        let w = TextWidth.of(character)
        guard w > 0, y >= 0, y < height else { return }
        for column in x..<(x + w) where column >= 0 && column < width { release(column) }
        if x >= 0, x < width { grid[y][x] = String(character) }
        if w == 2, x + 1 < width { grid[y][x + 1] = "" }
        x += w
    }

    private mutating func release(_ column: Int) {
        if grid[y][column] == "", column > 0 { grid[y][column - 1] = " " }
        if grid[y][column] != "", column + 1 < width, grid[y][column + 1] == "" { grid[y][column + 1] = " " }
    }

    func row(_ index: Int) -> String {
        grid[index].joined()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
