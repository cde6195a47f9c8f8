#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(ucrt)
import ucrt
#endif

/// A terminal colour: the terminal's own default, an xterm 256-colour palette index, or 24-bit RGB.
///
/// Exporters map it to what the output can show (`ColorMode`): the nearest of the 16 ANSI colours,
/// the nearest palette index, or the exact RGB value.
public struct Color: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case terminalDefault
        case indexed(UInt8)
        case rgb(UInt8, UInt8, UInt8)
    }

    let kind: Kind

    init(kind: Kind) {
        self.kind = kind
    }

    /// The terminal's default foreground or background (SGR 39 / 49).
    public static let `default` = Color(kind: .terminalDefault)

    /// An entry of the xterm 256-colour palette (0–15 are the ANSI colours).
    public static func indexed(_ index: UInt8) -> Color {
        Color(kind: .indexed(index))
    }

    /// A 24-bit colour.
    public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        Color(kind: .rgb(r, g, b))
    }

    /// Parses `"EC7000"`, `"#ec7000"`, `"fff"` or `"#FFF"`: 3 or 6 ASCII hex digits after an
    /// optional `#`. Anything else (spaces, other lengths, non-hex characters) gives `nil`.
    public init?(hex: String) {
        var bytes = Array(hex.utf8)
        if bytes.first == UInt8(ascii: "#") {
            bytes.removeFirst()
        }
        var digits: [UInt8] = []
        for byte in bytes {
            guard let value = Color.hexValue(byte) else { return nil }
            digits.append(value)
        }
        switch digits.count {
        case 3:
            self = .rgb(digits[0] * 17, digits[1] * 17, digits[2] * 17)
        case 6:
            self = .rgb(digits[0] << 4 | digits[1], digits[2] << 4 | digits[3], digits[4] << 4 | digits[5])
        default:
            return nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Whether this is the terminal's default colour.
    public var isDefault: Bool { kind == .terminalDefault }

    /// The RGB value: exact for `.rgb`, xterm's palette value for `.indexed`, `nil` for `.default`.
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch kind {
        case .terminalDefault: nil
        case let .indexed(index): Palette.rgb(of: index)
        case let .rgb(r, g, b): (r, g, b)
        }
    }

    /// The nearest xterm palette entry among the 6×6×6 cube (16–231) and the gray ramp (232–255),
    /// by squared RGB distance; an indexed colour returns its own index, the default colour 0.
    public var nearest256: UInt8 {
        switch kind {
        case .terminalDefault: 0
        case let .indexed(index): index
        case let .rgb(r, g, b): Palette.nearest(r, g, b, in: 16...255)
        }
    }

    /// The nearest of the 16 ANSI colours (xterm's default values), by squared RGB distance;
    /// indexes 0–15 return themselves, the default colour 0.
    public var nearest16: UInt8 {
        switch kind {
        case .terminalDefault:
            return 0
        case let .indexed(index) where index < 16:
            return index
        case .indexed, .rgb:
            guard let (r, g, b) = rgbComponents else { return 0 }
            return Palette.nearest(r, g, b, in: 0...15)
        }
    }

    /// WCAG 2 relative luminance, 0 (black) to 1 (white). The default colour counts as 0.
    public var relativeLuminance: Double {
        guard let (r, g, b) = rgbComponents else { return 0 }
        func linear(_ component: UInt8) -> Double {
            let c = Double(component) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// White or black, whichever has the higher WCAG contrast ratio against `background`
    /// (black on a tie).
    public static func readableText(on background: Color) -> Color {
        let luminance = background.relativeLuminance
        let whiteContrast = 1.05 / (luminance + 0.05)
        let blackContrast = (luminance + 0.05) / 0.05
        return whiteContrast > blackContrast ? .rgb(255, 255, 255) : .rgb(0, 0, 0)
    }

    /// `"#RRGGBB"` (upper-case) for RGB and indexed colours, `nil` for the default colour.
    public var hexString: String? {
        guard let (r, g, b) = rgbComponents else { return nil }
        return "#" + Palette.hexByte(r) + Palette.hexByte(g) + Palette.hexByte(b)
    }
}

/// xterm's default 256-colour palette.
enum Palette {
    private static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
        (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
        (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
        (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
    ]
    private static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    static func rgb(of index: UInt8) -> (r: UInt8, g: UInt8, b: UInt8) {
        switch index {
        case 0..<16:
            return ansi[Int(index)]
        case 16..<232:
            let i = Int(index) - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let level = 8 + 10 * (index - 232)
            return (level, level, level)
        }
    }

    static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, in range: ClosedRange<UInt8>) -> UInt8 {
        var best = range.lowerBound
        var bestDistance = Int.max
        for index in range {
            let (pr, pg, pb) = rgb(of: index)
            let dr = Int(r) - Int(pr), dg = Int(g) - Int(pg), db = Int(b) - Int(pb)
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    static func hexByte(_ value: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
    }
}
