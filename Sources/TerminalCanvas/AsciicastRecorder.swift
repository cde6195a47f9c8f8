/// Records canvases as an asciicast v2 recording (`.cast`, playable with asciinema and agg).
///
/// Each recorded frame becomes an `"o"` event holding `Exporters.ansiDiff` from the previous
/// frame; a frame of another size is preceded by an `"r"` (resize) event and written in full.
/// Secret cells are masked, as in every exporter.
public struct AsciicastRecorder: Sendable {
    private struct Event: Sendable {
        var time: Double
        var code: String
        var data: String
    }

    private let width: Int
    private let height: Int
    private let title: String?
    private let timestamp: Int?
    private let colors: ColorMode
    private var events: [Event] = []
    private var last: Canvas?
    private var lastSize: Size
    private var lastTime = 0.0

    /// `width` × `height` is the terminal size in the header (negative values become 0);
    /// `timestamp` is the Unix time the recording started.
    public init(width: Int, height: Int, title: String? = nil, timestamp: Int? = nil, colors: ColorMode = .indexed256) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.title = title
        self.timestamp = timestamp
        self.colors = colors
        self.lastSize = Size(width: max(0, width), height: max(0, height))
    }

    /// Appends `canvas` as shown `seconds` after the start. A frame identical to the last one is
    /// skipped. Times never go backwards: an earlier (or negative, or non-finite) time is
    /// clamped to the last one.
    public mutating func record(_ canvas: Canvas, at seconds: Double) {
        let time = seconds.isFinite ? max(seconds, lastTime) : lastTime
        if let last, last == canvas { return }
        var previous = last
        if canvas.size != lastSize {
            events.append(Event(time: time, code: "r", data: "\(canvas.width)x\(canvas.height)"))
            lastSize = canvas.size
            previous = nil
        }
        events.append(Event(time: time, code: "o", data: Exporters.ansiDiff(from: previous, to: canvas, colors: colors)))
        last = canvas
        lastTime = time
    }

    /// The recording: the header line, then one `[time, code, data]` line per event, times in
    /// seconds with 6 decimals; ends with a newline.
    public func finish() -> String {
        var header = "{\"version\": 2, \"width\": \(width), \"height\": \(height)"
        if let timestamp { header += ", \"timestamp\": \(timestamp)" }
        if let title { header += ", \"title\": " + Escaping.jsonString(title) }
        header += ", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
        var lines = header
        for event in events {
            lines += "[\(Escaping.fixed(event.time, decimals: 6)), \(Escaping.jsonString(event.code)), \(Escaping.jsonString(event.data))]\n"
        }
        return lines
    }
}
