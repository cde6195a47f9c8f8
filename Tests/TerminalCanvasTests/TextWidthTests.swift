import Testing
@testable import TerminalCanvas

@Suite("Display width")
struct TextWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(TextWidth.of("hello, world!") == 13)
        #expect(TextWidth.of("") == 0)
        #expect(TextWidth.of(Character("~")) == 1)
    }

    @Test func accentedLettersAreOneColumn() {
        #expect(TextWidth.of(Character("ç")) == 1)
        #expect(TextWidth.of(Character("ã")) == 1)
        #expect(TextWidth.of("Conexão não concluída") == 21)
    }

    @Test func combiningSequencesAreOneColumn() {
        #expect(TextWidth.of(Character("e\u{301}")) == 1)
        #expect(TextWidth.of("c\u{327}a\u{303}o") == 3)
        #expect(TextWidth.of("\u{301}") == 0)
        #expect(TextWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)  // conjoining Hangul jamo
    }

    @Test func eastAsianWideIsTwoColumns() {
        #expect(TextWidth.of("日本") == 4)
        #expect(TextWidth.of("한국어") == 6)
        #expect(TextWidth.of("ひらがな") == 8)
        #expect(TextWidth.of("ＡＢ") == 4)
        #expect(TextWidth.of("\u{3000}") == 2)
        #expect(TextWidth.of("ｱ") == 1)  // halfwidth katakana
    }

    @Test func emojiAreTwoColumns() {
        #expect(TextWidth.of(Character("👍")) == 2)
        #expect(TextWidth.of(Character("👍🏽")) == 2)
        #expect(TextWidth.of(Character("👨‍👩‍👧‍👦")) == 2)
        #expect(TextWidth.of(Character("🇧🇷")) == 2)
        #expect(TextWidth.of(Character("🏳️‍🌈")) == 2)
        #expect(TextWidth.of(Character("❤️")) == 2)
        #expect(TextWidth.of(Character("1️⃣")) == 2)
        #expect(TextWidth.of("👍 ok") == 5)
    }

    @Test func textPresentationSymbolsAreOneColumn() {
        #expect(TextWidth.of(Character("☺")) == 1)
        #expect(TextWidth.of(Character("❤")) == 1)
        #expect(TextWidth.of(Character("⌚\u{FE0E}")) == 2)  // East Asian Wide regardless of presentation
        #expect(TextWidth.of(Character("•")) == 1)
        #expect(TextWidth.of(Character("…")) == 1)
        #expect(TextWidth.of(Character("─")) == 1)
    }

    @Test func controlsAndFormatCharactersAreZero() {
        for control in ["\n", "\t", "\r\n", "\u{1b}", "\u{0}", "\u{7f}", "\u{85}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{2028}"] {
            #expect(TextWidth.of(control) == 0, "\(control.unicodeScalars.map { $0.value })")
        }
        #expect(TextWidth.of("a\u{1b}[31mb") == 6)
    }

    @Test func truncateAddsEllipsisOnlyWhenCutting() {
        #expect(TextWidth.truncate("hello", to: 5) == "hello")
        #expect(TextWidth.truncate("hello world", to: 5) == "hell…")
        #expect(TextWidth.truncate("hello", to: 0) == "")
        #expect(TextWidth.truncate("hello", to: -3) == "")
        #expect(TextWidth.truncate("hello", to: 1) == "…")
        #expect(TextWidth.truncate("hello world", to: 8, ellipsis: "...") == "hello...")
        #expect(TextWidth.truncate("hello", to: 2, ellipsis: "...") == "he")
        #expect(TextWidth.truncate("", to: 3) == "")
    }

    @Test func truncateNeverSplitsAWideCharacter() {
        #expect(TextWidth.truncate("日本語", to: 6) == "日本語")
        #expect(TextWidth.truncate("日本語", to: 5) == "日本…")
        #expect(TextWidth.truncate("日本語", to: 4) == "日…")
        #expect(TextWidth.truncate("日本語", to: 2) == "…")
        #expect(TextWidth.truncate("a👍b", to: 2) == "a…")
        #expect(TextWidth.truncate("e\u{301}e\u{301}e\u{301}", to: 2) == "e\u{301}…")
    }

    @Test func wrapBreaksAtSpaces() {
        #expect(TextWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextWidth.wrap("the quick brown fox", width: 100) == ["the quick brown fox"])
        #expect(TextWidth.wrap("a  b\tc", width: 10) == ["a b c"])
        #expect(TextWidth.wrap("exactly ten", width: 7) == ["exactly", "ten"])
    }

    @Test func wrapKeepsExplicitLineBreaks() {
        #expect(TextWidth.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(TextWidth.wrap("one\r\ntwo", width: 5) == ["one", "two"])
        #expect(TextWidth.wrap("end\n", width: 5) == ["end", ""])
    }

    @Test func wrapBreaksLongWords() {
        #expect(TextWidth.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWidth.wrap("ok abcdefghij", width: 4) == ["ok", "abcd", "efgh", "ij"])
    }

    @Test func wrapCountsWideCharacters() {
        #expect(TextWidth.wrap("日本語テキスト", width: 5) == ["日本", "語テ", "キス", "ト"])
        #expect(TextWidth.wrap("日本 語", width: 4) == ["日本", "語"])
        #expect(TextWidth.wrap("👍👍👍", width: 3) == ["👍", "👍", "👍"])
        #expect(TextWidth.wrap("日", width: 1) == ["日"])
    }

    @Test func wrapDegenerateWidths() {
        #expect(TextWidth.wrap("hello", width: 0) == [])
        #expect(TextWidth.wrap("hello", width: -1) == [])
        #expect(TextWidth.wrap("", width: 10) == [])
    }

    @Test func fuzzTruncateAndWrapStayWithinWidth() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let text = randomText(&rng)
            let width = Int.random(in: -1...12, using: &rng)
            let cut = TextWidth.truncate(text, to: width)
            #expect(TextWidth.of(cut) <= max(width, 0))
            for line in TextWidth.wrap(text, width: width) {
                #expect(TextWidth.of(line) <= max(width, 2))
            }
        }
    }
}
