import Foundation
import TapePlayer
import Testing

/// The screenshots gallery and the golden text snapshots: produced by the tapes in tapes/gallery, and
/// compared here with what the code renders now. Regenerate both with `scripts/screenshots`
/// (`UPDATE_SNAPSHOTS=1 swift test --filter GalleryTests`).
@Suite("Gallery and golden snapshots")
struct GalleryTests {
    static let updating = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"

    /// The files a tape's Screenshot lines write.
    static func screenshots(of tape: Tape) -> [String] {
        tape.steps.compactMap { step in
            if case .screenshot(let path, _) = step.action { return path }
            return nil
        }
    }

    /// Compares a rendered file with the committed one (or replaces it when updating).
    static func check(rendered: String, committed relativePath: String) throws {
        let url = packageRoot.appendingPathComponent(relativePath)
        let fresh = try String(contentsOfFile: rendered, encoding: .utf8)
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fresh.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let old = try? String(contentsOf: url, encoding: .utf8)
        #expect(old == fresh, "\(relativePath) differs from what the code renders; run scripts/screenshots\n\(firstDifference(old ?? "", fresh))")
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<none>"
            let r = index < right.count ? String(right[index]) : "<none>"
            if l != r { return "line \(index + 1):\n- \(l.prefix(200))\n+ \(r.prefix(200))" }
        }
        return ""
    }

    @Test("screenshots/ is what the gallery tapes render at 80x24", arguments: tapes(in: "tapes/gallery"))
    func gallery(path: String) async throws {
        let directory = NSTemporaryDirectory() + "gallery-\(UUID().uuidString)"
        let (tape, result) = try await play(path, options: PlayOptions(baseDirectory: directory))
        #expect(result.failure == nil, "\(result.failure?.description ?? "")")
        let shots = Self.screenshots(of: tape)
        #expect(!shots.isEmpty)
        for shot in shots {
            try Self.check(rendered: directory + "/" + shot, committed: shot)
            let contents = try String(contentsOfFile: directory + "/" + shot, encoding: .utf8)
            #expect(!contents.contains("password-ok"), "a password in \(shot)")
        }
    }

    @Test("golden text snapshots of every step at 40x12", arguments: tapes(in: "tapes/gallery"))
    func small(path: String) async throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
        let own = try TapeParser.parse(text, source: path).settings
        guard own.width == nil, own.height == nil else { return }  // a tape about its own size
        let directory = NSTemporaryDirectory() + "gallery-small-\(UUID().uuidString)"
        let (tape, result) = try await play(path, options: PlayOptions(width: 40, height: 12, baseDirectory: directory))
        #expect(result.failure == nil, "\(result.failure?.description ?? "")")
        for shot in Self.screenshots(of: tape) where shot.hasSuffix(".txt") {
            let name = URL(fileURLWithPath: shot).lastPathComponent
            try Self.check(rendered: directory + "/" + shot, committed: "Tests/Snapshots/40x12/" + name)
        }
    }

    @Test("every screenshot in screenshots/ comes from a gallery tape")
    func noStaleFiles() throws {
        var produced: Set<String> = []
        for path in tapes(in: "tapes/gallery") {
            let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
            for shot in Self.screenshots(of: try TapeParser.parse(text, source: path)) {
                produced.insert(URL(fileURLWithPath: shot).lastPathComponent)
            }
        }
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("screenshots").path)) ?? [])
        #expect(present.subtracting(produced).isEmpty, "not produced by any tape: \(present.subtracting(produced).sorted())")
    }
}
