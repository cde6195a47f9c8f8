// Benchmarks for the widget (not tests: timings never gate the test suite).
//   swift run -c release connect-tui-bench [--tapes DIR]
// 1. One keystroke through the engine, the 80x24 render and the diff against the previous frame.
// 2. Every catalogue tape played in one process.
import ConnectWidget
import Foundation
import Pluggy
import PluggySandbox
import TapePlayer
import TerminalCanvas

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// The widget at the credentials form of the invalid-credentials scenario.
func formState() -> WidgetState {
    let now = VirtualClock.defaultStart
    let catalogue = Catalogue.builtIn(now: now)
    let item = catalogue.scenario(named: "invalid-credentials")!.item
    var (state, effects) = ConnectEngine.start(config: WidgetConfig(itemId: item.id), size: Size(width: 80, height: 24), now: now)
    for case .fetchItem(let request, let kind, _) in effects {
        _ = ConnectEngine.update(&state, .reply(BackendReply(request: request, kind: kind, result: .success(item))))
    }
    return state
}

func keystrokeBenchmark() {
    var state = formState()
    var previous = Screens.render(state, theme: .color)
    let keys: [Key] = Array("user-ok").map { .character($0) } + Array(repeating: .backspace, count: 7) + [.tab, .character("x"), .backspace, .backTab]
    let clock = ContinuousClock()
    var samples: [Double] = []
    var changed = 0
    for round in 0..<30_000 {
        let key = keys[round % keys.count]
        let elapsed = clock.measure {
            _ = ConnectEngine.update(&state, .key(key))
            let next = Screens.render(state, theme: .color)
            changed &+= next.diff(from: previous).count
            previous = next
        }
        if round >= 1000 { samples.append(microseconds(elapsed)) }
    }
    samples.sort()
    print(String(format: "keystroke → engine + render + diff (80x24): median %.1f µs, p90 %.1f µs, p99 %.1f µs over %d keystrokes (%d cells changed)",
                 percentile(samples, 0.5), percentile(samples, 0.9), percentile(samples, 0.99), samples.count, changed))
}

func tapesBenchmark(directory: String) async {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tape") }.sorted()
    guard !names.isEmpty else {
        print("no tapes in \(directory); run from the repository root or pass --tapes DIR")
        return
    }
    var tapes: [Tape] = []
    for name in names {
        guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8),
            let tape = try? TapeParser.parse(text, source: name)
        else { continue }
        tapes.append(tape)
    }
    let clock = ContinuousClock()
    var failures = 0
    var best = Double.infinity
    for _ in 0..<5 {
        let elapsed = await clock.measure {
            for tape in tapes {
                let virtual = VirtualClock()
                guard let runner = try? TapeRunner(tape: tape, catalogue: Catalogue.builtIn(now: virtual.now()), options: PlayOptions(), clock: virtual) else {
                    failures += 1
                    continue
                }
                let result = await runner.run()
                if result.failure != nil { failures += 1 }
            }
        }
        best = min(best, microseconds(elapsed) / 1e6)
    }
    print(String(format: "catalogue tapes: %d tapes played in one process in %.3f s (best of 5)%@",
                 tapes.count, best, failures > 0 ? " — \(failures) failed" : ""))
}

var tapeDirectory = "tapes/scenarios"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--tapes", let value = arguments.popFirst() { tapeDirectory = value }
}
keystrokeBenchmark()
await tapesBenchmark(directory: tapeDirectory)
