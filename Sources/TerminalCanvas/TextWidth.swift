/// Display width of text in terminal columns, and truncating / wrapping by that width.
///
/// A grapheme cluster is 0 columns when it is only controls, format characters or combining
/// marks; 2 when it is East Asian Wide/Fullwidth or shows as an emoji (emoji presentation,
/// VS16, ZWJ sequences, flags); 1 otherwise.
public enum TextWidth {
    /// The display columns of one grapheme cluster: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        // Fast path: one scalar in a range known to be narrow (ASCII, Latin, punctuation, arrows, box
        // drawing, geometric shapes, Braille). Unicode property lookups cost most of a render otherwise.
        let scalars = character.unicodeScalars
        if let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex {
            switch first.value {
            case 0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x21FF,
                0x2500...0x25FF, 0x2800...0x28FF:
                return 1
            case 0...0x1F, 0x7F...0x9F:
                return 0
            default:
                break
            }
        }
        var base: Unicode.Scalar?
        var variationText = false
        var variationEmoji = false
        var joined = false
        var emojiAfterBase = false
        for scalar in character.unicodeScalars {
            switch scalar.value {
            case 0xFE0E: variationText = true; continue
            case 0xFE0F: variationEmoji = true; continue
            case 0x200D: joined = true; continue
            default: break
            }
            if isZeroWidth(scalar) { continue }
            if base == nil {
                base = scalar
            } else if scalar.properties.isEmojiPresentation {
                emojiAfterBase = true
            }
        }
        guard let base else { return 0 }
        let properties = base.properties
        if variationText && !variationEmoji {
            return isEastAsianWide(base.value) ? 2 : 1
        }
        if properties.isEmojiPresentation { return 2 }
        if properties.isEmoji && (variationEmoji || (joined && emojiAfterBase)) { return 2 }
        return isEastAsianWide(base.value) ? 2 : 1
    }

    /// The display columns of a string: the sum over its grapheme clusters.
    public static func of(_ string: String) -> Int {
        var total = 0
        for character in string {
            total += of(character)
        }
        return total
    }

    /// `string` cut to at most `width` columns. When something had to be cut, the result ends
    /// with `ellipsis` (unless the ellipsis alone is wider than `width`). A wide character that
    /// would cross the limit is dropped whole. `width <= 0` gives "".
    public static func truncate(_ string: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(string) <= width { return string }
        let ellipsisWidth = of(ellipsis)
        let suffix = ellipsisWidth <= width ? ellipsis : ""
        let budget = width - (ellipsisWidth <= width ? ellipsisWidth : 0)
        var result = ""
        var used = 0
        for character in string {
            let w = of(character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        return result + suffix
    }

    /// Word-wraps `string` into lines of at most `width` columns. Spaces and tabs separate
    /// words (runs of them collapse to one space); a line break ("\n", "\r\n", …) always starts a
    /// new line, so blank lines are kept. Words wider than `width` are broken by grapheme. The
    /// only line that may exceed `width` is a single wide character when `width` is 1.
    /// `width <= 0` or an empty string gives [].
    public static func wrap(_ string: String, width: Int) -> [String] {
        guard width > 0, !string.isEmpty else { return [] }
        var lines: [String] = []
        for paragraph in string.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            var line = ""
            var lineWidth = 0
            var lineHasWord = false
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let wordWidth = of(String(word))
                if lineHasWord {
                    if lineWidth + 1 + wordWidth <= width {
                        line += " " + word
                        lineWidth += 1 + wordWidth
                        continue
                    }
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                lineHasWord = true
                if wordWidth <= width {
                    line = String(word)
                    lineWidth = wordWidth
                    continue
                }
                for character in word {
                    let w = of(character)
                    if lineWidth + w > width && lineWidth > 0 {
                        lines.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += w
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Scalars that take no column of their own.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator, .surrogate:
            return true
        default:
            // Hangul conjoining vowels and final consonants join the preceding initial consonant.
            return (0x1160...0x11FF).contains(scalar.value) || (0xD7B0...0xD7FF).contains(scalar.value)
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt, merged.
    /// Emoji are mostly caught by `isEmojiPresentation`; the symbol ranges below repeat them for
    /// older Unicode tables.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,  // kana, Bopomofo, Hangul compatibility jamo, Kanbun, enclosed CJK
        0x3400...0x4DBF,  // CJK extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul jamo extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth forms
        0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1,
        0x17000...0x18CFF,  // Tangut, Khitan
        0x18D00...0x18D08,
        0x1AFF0...0x1AFFE,
        0x1B000...0x1B2FF,  // kana supplement and extensions, Nushu
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F2FF,  // enclosed ideographic supplement
        0x20000...0x2FFFD,  // CJK extensions B and later
        0x30000...0x3FFFD,
    ]

    static func isEastAsianWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if value < range.lowerBound {
                high = mid - 1
            } else if value > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
