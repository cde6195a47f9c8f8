/// Text escaping and number formatting shared by the exporters; nothing here uses the locale.
enum Escaping {
    /// Escapes `& < > " '` for XML text and attributes. Characters XML 1.0 cannot carry (C0
    /// controls other than tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD.
    static func xml(_ string: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A JSON string literal, quotes included: `"` and `\` escaped, every control character
    /// (U+0000–U+001F, U+007F) as `\u00XX`.
    static func jsonString(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u00" + hexByte(UInt8(scalar.value)).lowercased()
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static func hexByte(_ value: UInt8) -> String {
        Palette.hexByte(value)
    }

    /// `value` rounded to `decimals` places, trailing zeros (and a bare point) dropped:
    /// 36.599999 → "36.6", 24.0 → "24". Non-finite values give "0".
    static func number(_ value: Double, decimals: Int = 2) -> String {
        fixed(value, decimals: decimals, trimmed: true)
    }

    /// `value` with exactly `decimals` places (at most 9): 1.5 → "1.500000". Non-finite values
    /// give 0; magnitudes are capped so the scaled value fits an `Int64`.
    static func fixed(_ value: Double, decimals: Int, trimmed: Bool = false) -> String {
        let places = min(max(decimals, 0), 9)
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let limit = 9e18 / Double(scale)
        let safe = value.isFinite ? min(max(value, -limit), limit) : 0
        let scaled = Int64((safe * Double(scale)).rounded())
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt64(scale)
        var fraction = places > 0 ? String(magnitude % UInt64(scale)) : ""
        while fraction.count < places { fraction = "0" + fraction }
        if trimmed {
            while fraction.last == "0" { fraction.removeLast() }
        }
        let sign = negative && (whole > 0 || !fraction.isEmpty) ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
