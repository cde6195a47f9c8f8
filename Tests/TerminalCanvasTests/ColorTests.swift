import Testing
@testable import TerminalCanvas

@Suite("Colours")
struct ColorTests {
    @Test func hexParsesSixAndThreeDigits() throws {
        let orange = try #require(Color(hex: "EC7000"))
        #expect(orange == .rgb(0xEC, 0x70, 0x00))
        #expect(Color(hex: "#ec7000") == orange)
        #expect(Color(hex: "fff") == .rgb(255, 255, 255))
        #expect(Color(hex: "#A1b") == .rgb(0xAA, 0x11, 0xBB))
        #expect(orange.hexString == "#EC7000")
    }

    @Test func hexRejectsJunk() {
        for junk in ["", "#", "12", "1234", "12345", "1234567", "GGGGGG", "#ffff", " fff", "fff ", "0x123", "##fff", "１２３", "ec7000\n", "é12"] {
            #expect(Color(hex: junk) == nil, "\(junk)")
        }
    }

    @Test func defaultColourHasNoValue() {
        #expect(Color.default.isDefault)
        #expect(!Color.indexed(0).isDefault)
        #expect(Color.default.rgbComponents == nil)
        #expect(Color.default.hexString == nil)
        #expect(Color.default.relativeLuminance == 0)
    }

    @Test func paletteValuesFollowXterm() throws {
        let red = try #require(Color.indexed(1).rgbComponents)
        #expect(red == (205, 0, 0))
        let orange = try #require(Color.indexed(208).rgbComponents)
        #expect(orange == (255, 135, 0))
        let gray = try #require(Color.indexed(244).rgbComponents)
        #expect(gray == (128, 128, 128))
        #expect(Color.indexed(16).hexString == "#000000")
        #expect(Color.indexed(231).hexString == "#FFFFFF")
        #expect(Color.indexed(255).hexString == "#EEEEEE")
    }

    @Test func nearest256UsesSquaredDistance() throws {
        let orange = try #require(Color(hex: "EC7000"))
        // (236,112,0): 202 = (255,95,0) is 19²+17² = 650 away; 208 = (255,135,0) is 19²+23² = 890.
        #expect(orange.nearest256 == 202)
        #expect(Color.rgb(255, 135, 0).nearest256 == 208)
        #expect(Color.rgb(0, 0, 0).nearest256 == 16)
        #expect(Color.rgb(255, 255, 255).nearest256 == 231)
        #expect(Color.rgb(128, 128, 128).nearest256 == 244)
        #expect(Color.rgb(10, 10, 12).nearest256 == 232)
        #expect(Color.indexed(3).nearest256 == 3)
    }

    @Test func nearest16UsesXtermDefaults() throws {
        #expect(Color.rgb(255, 0, 0).nearest16 == 9)
        #expect(Color.rgb(200, 0, 0).nearest16 == 1)
        #expect(Color.rgb(0, 0, 0).nearest16 == 0)
        #expect(Color.rgb(250, 250, 250).nearest16 == 15)
        #expect(try #require(Color(hex: "EC7000")).nearest16 == 3)
        #expect(Color.indexed(12).nearest16 == 12)
        #expect(Color.indexed(196).nearest16 == 9)
    }

    @Test func luminanceAndReadableText() throws {
        #expect(Color.rgb(255, 255, 255).relativeLuminance == 1)
        #expect(Color.rgb(0, 0, 0).relativeLuminance == 0)
        #expect(abs(Color.rgb(255, 255, 0).relativeLuminance - 0.9278) < 0.001)
        #expect(Color.readableText(on: try #require(Color(hex: "000000"))) == .rgb(255, 255, 255))
        #expect(Color.readableText(on: try #require(Color(hex: "FFFF00"))) == .rgb(0, 0, 0))
        #expect(Color.readableText(on: try #require(Color(hex: "EC7000"))) == .rgb(0, 0, 0))
        #expect(Color.readableText(on: try #require(Color(hex: "1D1F21"))) == .rgb(255, 255, 255))
        #expect(Color.readableText(on: .default) == .rgb(255, 255, 255))
    }
}
