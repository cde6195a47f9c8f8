/// Finds where a JSON text stops being JSON, so a bad scenario file's error can name the line and
/// column (the standard decoder only says "not valid JSON").
enum JSONSyntax {
    struct Problem: Hashable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first syntax error in `bytes`, or nil when they are one valid JSON value.
    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var scanner = Scanner(bytes: bytes)
        do {
            scanner.skipWhitespace()
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.index < bytes.count { throw scanner.problem("unexpected text after the end of the JSON value") }
            return nil
        } catch let problem as Problem {
            return problem
        } catch {
            return nil
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        func problem(_ message: String) -> Problem {
            var line = 1
            var column = 1
            var i = 0
            while i < min(index, bytes.count) {
                if bytes[i] == 10 {
                    line += 1
                    column = 1
                } else if bytes[i] & 0xC0 != 0x80 {
                    column += 1
                }
                i += 1
            }
            return Problem(line: line, column: column, message: message)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 32 || c == 9 || c == 10 || c == 13 { index += 1 }
        }

        mutating func expect(_ c: UInt8, _ what: String) throws {
            guard current == c else { throw problem(current == nil ? "the file ends where \(what) was expected" : "expected \(what)") }
            index += 1
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw problem("nested too deeply") }
            switch current {
            case nil: throw problem("the file ends where a value was expected")
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case let c? where c == UInt8(ascii: "-") || (48...57).contains(c): try number()
            default: throw problem("expected a value (object, array, string, number, true, false or null)")
            }
        }

        mutating func object(depth: Int) throws {
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    throw problem(current == nil ? "the file ends inside an object" : "expected a member name in double quotes")
                }
                try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after the member name")
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' after the member")
                return
            }
        }

        mutating func array(depth: Int) throws {
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']' after the element")
                return
            }
        }

        mutating func string() throws {
            index += 1
            while let c = current {
                switch c {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let e = current else { break }
                    if e == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            index += 1
                            guard let h = current, (48...57).contains(h) || (65...70).contains(h) || (97...102).contains(h)
                            else { throw problem("\\u must be followed by four hex digits") }
                        }
                    } else if !Array("\"\\/bfnrt".utf8).contains(e) {
                        throw problem("unknown escape sequence in a string")
                    }
                    index += 1
                case 0..<32:
                    throw problem("control character (such as a raw newline) inside a string")
                default:
                    index += 1
                }
            }
            throw problem("the file ends inside a string")
        }

        mutating func literal(_ word: String) throws {
            for expected in word.utf8 {
                guard current == expected else { throw problem("expected '\(word)'") }
                index += 1
            }
        }

        mutating func number() throws {
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (48...57).contains(first) else { throw problem("expected a digit") }
            while let c = current, (48...57).contains(c) { index += 1 }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let c = current, (48...57).contains(c) else { throw problem("expected a digit after '.'") }
                while let c = current, (48...57).contains(c) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let c = current, (48...57).contains(c) else { throw problem("expected a digit in the exponent") }
                while let c = current, (48...57).contains(c) { index += 1 }
            }
        }
    }
}

extension JSONSyntax.Problem: Error {}
