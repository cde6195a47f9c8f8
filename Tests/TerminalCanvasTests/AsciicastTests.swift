import Foundation
import Testing
@testable import TerminalCanvas

@Suite("asciicast recorder")
struct AsciicastTests {
    typealias Event = (time: Double, code: String, data: String)

    func parse(_ cast: String) throws -> (header: [String: Any], events: [Event]) {
        #expect(cast.hasSuffix("\n"))
        let lines = cast.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let first = try #require(lines.first)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        var events: [Event] = []
        for line in lines.dropFirst() {
            let array = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            #expect(array.count == 3)
            let time = try #require((array[0] as? NSNumber)?.doubleValue)
            let code = try #require(array[1] as? String)
            let data = try #require(array[2] as? String)
            #expect(code == "o" || code == "r")
            events.append((time, code, data))
        }
        return (header, events)
    }

    func frame(_ text: String, width: Int = 10, height: Int = 2, secret: String? = nil) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        canvas.put(text, x: 0, y: 0, style: Style(foreground: .rgb(236, 112, 0)))
        if let secret {
            canvas.put(secret, x: 0, y: 1, style: .plain, secret: true)
        }
        return canvas
    }

    @Test func headerIsAsciicastV2() throws {
        var recorder = AsciicastRecorder(width: 10, height: 2, title: "Update \"Itaú\"\n\u{1b}", timestamp: 1_700_000_000)
        recorder.record(frame("hi"), at: 0)
        let cast = recorder.finish()
        let (header, events) = try parse(cast)
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 10)
        #expect(header["height"] as? Int == 2)
        #expect(header["timestamp"] as? Int == 1_700_000_000)
        #expect(header["title"] as? String == "Update \"Itaú\"\n\u{1b}")
        #expect((header["env"] as? [String: String])?["TERM"] == "xterm-256color")
        #expect(events.count == 1)
        #expect(events.first?.data.hasPrefix("\u{1b}[H\u{1b}[2J") == true)
        #expect(cast.contains("\\u001b[H"))
        #expect(cast.split(separator: "\n")[1].hasPrefix("[0.000000, \"o\", "))
    }

    @Test func optionalHeaderFieldsAreLeftOut() throws {
        let (header, events) = try parse(AsciicastRecorder(width: 80, height: 24).finish())
        #expect(header["timestamp"] == nil)
        #expect(header["title"] == nil)
        #expect(events.isEmpty)
    }

    @Test func laterFramesAreDiffsAndIdenticalFramesAreSkipped() throws {
        var recorder = AsciicastRecorder(width: 10, height: 2, colors: .ansi16)
        recorder.record(frame("hello"), at: 0.25)
        recorder.record(frame("hello"), at: 0.5)
        recorder.record(frame("help!"), at: 1.1234567)
        let (_, events) = try parse(recorder.finish())
        #expect(events.count == 2)
        #expect(events.map(\.time) == [0.25, 1.123457])
        #expect(events[1].data == "\u{1b}[1;4H\u{1b}[33mp!\u{1b}[0m\u{1b}[?25l")
    }

    @Test func resizeEmitsAnREventAndAFullFrame() throws {
        var recorder = AsciicastRecorder(width: 10, height: 2)
        recorder.record(frame("a"), at: 0)
        recorder.record(frame("a", width: 20, height: 5), at: 1)
        let (_, events) = try parse(recorder.finish())
        #expect(events.map(\.code) == ["o", "r", "o"])
        #expect(events[1].data == "20x5")
        #expect(events[2].data.hasPrefix("\u{1b}[H\u{1b}[2J"))
    }

    @Test func firstFrameOfAnotherSizeThanTheHeaderIsAResize() throws {
        var recorder = AsciicastRecorder(width: 80, height: 24)
        recorder.record(frame("a"), at: 0)
        let (_, events) = try parse(recorder.finish())
        #expect(events.map(\.code) == ["r", "o"])
        #expect(events[0].data == "10x2")
    }

    @Test func timesNeverGoBackwards() throws {
        var recorder = AsciicastRecorder(width: 10, height: 2)
        recorder.record(frame("a"), at: -3)
        recorder.record(frame("b"), at: 2)
        recorder.record(frame("c"), at: 1)
        recorder.record(frame("d"), at: .nan)
        recorder.record(frame("e"), at: .infinity)
        let (_, events) = try parse(recorder.finish())
        #expect(events.map(\.time) == [0, 2, 2, 2, 2])
    }

    @Test func secretsNeverAppearInTheCast() throws {
        var recorder = AsciicastRecorder(width: 10, height: 2)
        recorder.record(frame("pwd", secret: "hunter2"), at: 0)
        recorder.record(frame("pwd", secret: "hunter22"), at: 1)
        var resized = frame("pwd", width: 12, secret: "hunter2")
        resized.cursor = Position(x: 7, y: 1)
        recorder.record(resized, at: 2)
        let cast = recorder.finish()
        #expect(!cast.contains("hunter"))
        let (_, events) = try parse(cast)
        #expect(events.allSatisfy { !$0.data.contains("hunter") })
        #expect(events.contains { $0.data.contains("•••••••") })
    }

    @Test func replayingTheCastGivesTheLastFrame() throws {
        var rng = SeededGenerator(seed: 5)
        var recorder = AsciicastRecorder(width: 9, height: 3)
        var canvas = Canvas(width: 9, height: 3)
        for step in 0..<50 {
            scribble(on: &canvas, &rng)
            recorder.record(canvas, at: Double(step) / 10)
        }
        let (_, events) = try parse(recorder.finish())
        var terminal = MiniTerminal(width: 9, height: 3)
        for event in events where event.code == "o" {
            terminal.feed(event.data)
        }
        for y in 0..<3 {
            #expect(terminal.row(y) == canvas.row(y))
        }
    }
}
