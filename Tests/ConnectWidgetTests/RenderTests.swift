import Foundation
import Testing
import Pluggy
import TerminalCanvas
@testable import ConnectWidget

/// A state to render, with a name for the test report.
struct RenderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var state: WidgetState
    var testDescription: String { name }

    /// Every step, the help over each, and the states with the most on screen.
    static let all: [RenderCase] = {
        var cases = StepFixture.allCases.map { RenderCase(name: $0.rawValue, state: $0.build().state) }
        for fixture in StepFixture.allCases {
            var state = fixture.build().state
            state.showHelp = true
            cases.append(RenderCase(name: fixture.rawValue + "+help", state: state))
        }
        for fixture in [StepFixture.credentials, .mfa, .errorResult, .autoSync] {
            cases.append(RenderCase(name: fixture.rawValue + " pt", state: fixture.build(config: WidgetConfig(itemId: itemID, language: .pt)).state))
        }
        // A long form with every kind of field, all refused, on the submit button.
        var form = StepFixture.credentials.build(connector: Fixture.bank(credentials: [
            Fixture.accountType, Fixture.user, Fixture.cpf, Fixture.password, Fixture.nickname, Fixture.formToken,
        ]))
        form.key(.tab)
        form.paste(String(repeating: "ab", count: 200))
        form.key(.enter)
        let submit = form.state.form?.submitIndex
        form.state.form?.focus = submit
        cases.append(RenderCase(name: "long form", state: form.state))
        // A form without fields (an OAuth connector whose item had INVALID_CREDENTIALS).
        cases.append(RenderCase(name: "empty form", state: StepFixture.credentials.build(connector: Fixture.bank(credentials: [])).state))
        // A select MFA parameter with many options.
        var choice = Fixture.deliveryChoice
        choice.options = (1...30).map { CredentialSelectOption(value: "\($0)", label: "Option number \($0) with a long label") }
        var mfa = StepFixture.opening.build()
        mfa.reply(1, .load, Fixture.waitingInput(choice))
        mfa.key(.up, times: 3)
        cases.append(RenderCase(name: "mfa select", state: mfa.state))
        // CJK and emoji everywhere the bank's name goes.
        for fixture in StepFixture.allCases {
            cases.append(RenderCase(name: fixture.rawValue + " cjk", state: fixture.build(connector: Fixture.bank(name: "日本銀行 🏦")).state))
        }
        return cases
    }()
}

/// Problems with a canvas: rows wider than the canvas, split wide characters, a cursor outside.
func integrityProblems(_ canvas: Canvas, width: Int, height: Int) -> [String] {
    var problems: [String] = []
    if canvas.width != width || canvas.height != height {
        problems.append("size \(canvas.width)x\(canvas.height)")
    }
    guard canvas.cells.count == width * height else { return problems + ["\(canvas.cells.count) cells"] }
    canvas.cells.withUnsafeBufferPointer { cells in
        for y in 0..<height {
            var columns = 0
            let row = y * width
            for x in 0..<width {
                switch cells[row + x].width {
                case 2:
                    columns += 2
                    if x + 1 >= width || cells[row + x + 1].width != 0 { problems.append("wide character split at \(x),\(y)") }
                case 0:
                    if x == 0 || cells[row + x - 1].width != 2 { problems.append("orphan continuation at \(x),\(y)") }
                case 1:
                    columns += 1
                default:
                    problems.append("cell width \(cells[row + x].width) at \(x),\(y)")
                }
            }
            if columns > width { problems.append("row \(y) is \(columns) columns wide") }
        }
    }
    if let cursor = canvas.cursor, cursor.x < 0 || cursor.x >= width || cursor.y < 0 || cursor.y >= height {
        problems.append("cursor outside at \(cursor.x),\(cursor.y)")
    }
    return problems
}

@Suite struct RenderTests {
    /// Every width where the layout can change: the card is `min(width, 60)` wide and only moves
    /// sideways beyond that, so from 62 columns on every tenth width stands for its neighbours.
    static let sweepWidths = Array(1...61) + [70, 80, 90, 100, 110, 120]
    /// Every height up to 26 (the content of any step is shorter; 12, 14 and 16 switch layouts), then
    /// a few taller ones. (A debug-build render takes ~0.3 ms: all 4,800 sizes for every step would
    /// take seconds, and sizes below 40x12 are all rendered anyway.)
    static let sweepHeights = Array(1...26) + [30, 35, 39, 40]

    @Test(arguments: StepFixture.allCases)
    func everyStepRendersAtEverySizeUpTo120x40(_ fixture: StepFixture) {
        var state = fixture.build().state
        var failures: [String] = []
        for height in Self.sweepHeights {
            for width in Self.sweepWidths {
                _ = ConnectEngine.update(&state, .resize(Size(width: width, height: height)))
                let canvas = Screens.render(state, theme: .color)
                let problems = integrityProblems(canvas, width: width, height: height)
                if !problems.isEmpty { failures.append("\(width)x\(height): " + problems.prefix(3).joined(separator: "; ")) }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    /// Overlays, languages, long forms and wide characters, at the sizes where layouts switch.
    @Test(arguments: RenderCase.all)
    func everyCaseRendersAtTheLayoutBoundaries(_ renderCase: RenderCase) {
        var state = renderCase.state
        var failures: [String] = []
        for height in [1, 2, 11, 12, 13, 15, 16, 17, 24, 40] {
            for width in [1, 10, 39, 40, 41, 50, 60, 61, 120] {
                _ = ConnectEngine.update(&state, .resize(Size(width: width, height: height)))
                let canvas = Screens.render(state, theme: .color)
                let problems = integrityProblems(canvas, width: width, height: height)
                if !problems.isEmpty { failures.append("\(width)x\(height): " + problems.prefix(3).joined(separator: "; ")) }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func zeroAndNegativeSizesDoNotCrash() {
        var state = StepFixture.credentials.build().state
        for size in [Size(width: 0, height: 0), Size(width: 0, height: 24), Size(width: 80, height: 0), Size(width: -5, height: -5)] {
            state.size = size
            let canvas = Screens.render(state, theme: .color)
            #expect(canvas.cells.isEmpty)
        }
    }

    @Test(arguments: [Size(width: 39, height: 12), Size(width: 40, height: 11), Size(width: 39, height: 40), Size(width: 120, height: 11), Size(width: 31, height: 1)])
    func belowTheMinimumSaysTheTerminalIsTooSmall(_ size: Size) {
        for fixture in [StepFixture.opening, .credentials, .mfa, .result] {
            let widget = fixture.build(size: size)
            let text = widget.render().text
            #expect(text.contains("terminal too small (need 40x12)"))
            #expect(!text.contains("alice"))
        }
        let pt = StepFixture.credentials.build(config: WidgetConfig(itemId: itemID, language: .pt), size: size)
        #expect(pt.render().text.contains("terminal pequeno demais"))
    }

    @Test func narrowTerminalsWrapTheTooSmallMessage() {
        let widget = StepFixture.opening.build(size: Size(width: 10, height: 8))
        let words = widget.render().text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words == "terminal too small (need 40x12)")
    }

    @Test func theMinimumSizeShowsTheWidget() {
        for fixture in StepFixture.allCases {
            let text = fixture.build(size: Size(width: 40, height: 12)).render().text
            #expect(!text.contains("too small"), "\(fixture)")
        }
        let form = StepFixture.credentials.build(size: Size(width: 40, height: 12)).render().text
        #expect(form.contains("Continue"))
        #expect(form.contains("alice"))
    }

    @Test func portugueseSpeaksPortuguese() {
        let pt = WidgetConfig(itemId: itemID, language: .pt)
        let form = StepFixture.credentials.build(config: pt).render().text
        #expect(form.contains("Continuar"))
        #expect(!form.contains("Continue"))
        #expect(form.contains("Banco pessoal"))
        #expect(StepFixture.progress.build(config: pt).render().text.contains("Atualizando seus dados"))
        #expect(StepFixture.result.build(config: pt).render().text.contains("Conexão atualizada"))
        #expect(StepFixture.errorResult.build(config: pt).render().text.contains("A atualização não terminou"))
        #expect(StepFixture.openingFailed.build(config: pt).render().text.contains("Não foi possível abrir esta conexão"))
        #expect(StepFixture.authorization.build(config: pt).render().text.contains("Aguardando sua autorização"))
        let english = StepFixture.credentials.build().render().text
        #expect(english.contains("Continue"))
        #expect(!english.contains("Continuar"))
    }

    @Test(arguments: RenderCase.all)
    func monochromeUsesNoColour(_ renderCase: RenderCase) {
        for size in [Size(width: 80, height: 24), Size(width: 40, height: 12), Size(width: 120, height: 40), Size(width: 20, height: 5)] {
            var state = renderCase.state
            state.size = size
            let canvas = Screens.render(state, theme: .monochrome)
            let coloured = canvas.cells.filter { !$0.style.foreground.isDefault || !$0.style.background.isDefault }
            #expect(coloured.isEmpty, "\(size): \(coloured.count) coloured cells")
        }
    }

    @Test func colourThemeDoesUseColour() {
        let canvas = StepFixture.credentials.build().render(theme: .color)
        #expect(canvas.cells.contains { !$0.style.foreground.isDefault || !$0.style.background.isDefault })
    }

    /// The style of the input row under `label`, and of the button.
    static func styles(_ widget: Widget, theme: Theme = .monochrome) throws -> (user: Style, password: Style, button: Style) {
        let canvas = widget.render(theme: theme)
        let user = try #require(canvas.find("User"))
        let password = try #require(canvas.find("Password"))
        let button = try #require(canvas.find("Continue"))
        return (canvas[user.x, user.y + 1].style, canvas[password.x, password.y + 1].style, canvas[button.x, button.y].style)
    }

    @Test func monochromeStillShowsTheFocus() throws {
        var widget = StepFixture.credentials.build()
        var styles = try Self.styles(widget)
        #expect(styles.user.reverse)
        #expect(!styles.password.reverse)
        #expect(styles.password.underline)  // an input is still visible as one
        #expect(!styles.button.reverse)
        #expect(styles.user != styles.password)

        widget.key(.tab)
        styles = try Self.styles(widget)
        #expect(!styles.user.reverse)
        #expect(styles.password.reverse)

        widget.key(.tab)
        styles = try Self.styles(widget)
        #expect(styles.button.reverse)
        #expect(styles.button.bold)
        #expect(!styles.user.reverse && !styles.password.reverse)

        widget.key(.escape)  // no focus: nothing stands out
        styles = try Self.styles(widget)
        #expect(!styles.user.reverse && !styles.password.reverse && !styles.button.reverse)
    }

    @Test func focusedFieldDiffersInColourToo() throws {
        var widget = StepFixture.credentials.build()
        let focused = try Self.styles(widget, theme: .color)
        widget.key(.tab)
        let unfocused = try Self.styles(widget, theme: .color)
        #expect(focused.user != unfocused.user)
    }

    @Test func cursorSitsInTheFocusedField() throws {
        let widget = StepFixture.credentials.build()
        let canvas = widget.render()
        let cursor = try #require(canvas.cursor)
        let label = try #require(canvas.find("User"))
        #expect(cursor.y == label.y + 1)
        #expect(canvas.row(cursor.y).contains("alice"))
        #expect(StepFixture.progress.build().render().cursor == nil)
    }

    @Test(arguments: StepFixture.allCases)
    func wideBankNameIsNeverSplit(_ fixture: StepFixture) throws {
        let cjk = Fixture.bank(name: "日本銀行 🏦")
        for width in 40...60 {
            let widget = fixture.build(connector: cjk, size: Size(width: width, height: 12))
            let canvas = widget.render()
            #expect(integrityProblems(canvas, width: width, height: 12).isEmpty, "\(width)")
        }
        if fixture != .opening && fixture != .openingFailed {
            let canvas = fixture.build(connector: cjk, size: Size(width: 40, height: 12)).render()
            let name = try #require(canvas.find("日本銀行 🏦"), "\(canvas.text)")
            #expect(canvas[name.x, name.y].width == 2)
            #expect(canvas[name.x + 1, name.y].isContinuation)
        }
    }

    @Test func longWideBankNameIsCutBetweenCharacters() {
        let long = Fixture.bank(name: String(repeating: "銀", count: 40) + " 🏦")
        for width in 40...45 {
            for fixture in [StepFixture.credentials, .result, .errorResult] {
                let canvas = fixture.build(connector: long, size: Size(width: width, height: 24)).render()
                #expect(integrityProblems(canvas, width: width, height: 24).isEmpty)
                #expect(canvas.text.contains("銀銀銀"))
                #expect(canvas.text.contains("…"))
            }
        }
    }

    @Test func secretsAreFlaggedInEveryCell() {
        var widget = StepFixture.credentials.build()
        widget.key(.tab)
        widget.type("hunter2")
        widget.key(.control("R"))
        let canvas = widget.render()
        #expect(canvas.rawText.contains("hunter2"))  // revealed on screen
        #expect(!canvas.text.contains("hunter2"))  // masked in every export
        #expect(canvas.allCells.filter(\.cell.secret).count == 7)
    }
}
