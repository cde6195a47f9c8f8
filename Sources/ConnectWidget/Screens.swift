#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import TerminalCanvas

/// Renders the widget: a pure function of the state and the theme into a canvas of the state's size.
public enum Screens {
    public static let minimumSize = Size(width: 40, height: 12)
    static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    public static func render(_ state: WidgetState, theme: Theme) -> Canvas {
        var canvas = Canvas(width: state.size.width, height: state.size.height)
        let strings = Strings(state.config.language)
        guard state.size.width >= minimumSize.width, state.size.height >= minimumSize.height else {
            tooSmall(&canvas, strings: strings, theme: theme)
            return canvas
        }
        let cardWidth = min(state.size.width, 60)
        let card = Rect(x: (state.size.width - cardWidth) / 2, y: 0, width: cardWidth, height: state.size.height - 1)
        // Short terminals drop the frame and the spacing: every row goes to the content.
        let compact = state.size.height < 16
        let area: Rect
        if compact {
            area = card
        } else {
            canvas.box(card, style: theme.border)
            area = card.inset(by: 1)
        }
        var painter = Painter(canvas: canvas, area: area, theme: theme, strings: strings, state: state, compact: compact)
        painter.header()
        switch state.step {
        case .opening: painter.opening()
        case .openingFailed: painter.openingFailed()
        case .credentials: painter.credentials()
        case .progress: painter.progress()
        case .mfa: painter.mfa()
        case .authorization: painter.authorization()
        case .result: painter.result()
        case .autoSync: painter.autoSyncResult()
        }
        canvas = painter.canvas
        hints(&canvas, state: state, strings: strings, theme: theme)
        if state.showHelp { help(&canvas, card: card, state: state, strings: strings, theme: theme) }
        return canvas
    }

    public static func tooSmall(_ canvas: inout Canvas, strings: Strings, theme: Theme) {
        let lines = TextWidth.wrap(strings.tooSmall, width: max(1, canvas.width))
        let top = max(0, (canvas.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < canvas.height {
            let x = max(0, (canvas.width - TextWidth.of(line)) / 2)
            canvas.put(line, x: x, y: top + index, style: theme.bold)
        }
    }

    /// The key-hint bar on the last row.
    static func hints(_ canvas: inout Canvas, state: WidgetState, strings: Strings, theme: Theme) {
        let y = canvas.height - 1
        canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), style: theme.hint)
        var x = 1
        for (key, action) in keyHints(state, strings) {
            let needed = TextWidth.of(key) + 1 + TextWidth.of(action) + 2
            guard x + needed <= canvas.width else { break }
            x = canvas.put(key, x: x, y: y, style: theme.hintKey)
            x = canvas.put(" " + action + "  ", x: x, y: y, style: theme.hint)
        }
    }

    static func keyHints(_ state: WidgetState, _ s: Strings) -> [(String, String)] {
        let close = (s.t("Esc", "Esc"), s.t("close", "fechar"))
        let help = ("?", s.t("help", "ajuda"))
        if state.showHelp { return [(s.t("Esc", "Esc"), s.t("back", "voltar"))] }
        switch state.step {
        case .opening, .progress:
            return [close, help]
        case .openingFailed:
            return [(s.t("Enter", "Enter"), s.t("close", "fechar"))]
        case .credentials:
            guard let focus = state.form?.focus else {
                return [("Tab", s.t("edit", "editar")), ("Enter", s.t("submit", "enviar")), ("q", s.t("close", "fechar")), help]
            }
            var hints = [("Tab", s.t("next", "próximo")), ("Enter", s.t("submit", "enviar"))]
            if let field = state.form?.fields[safe: focus] {
                if field.isSecret { hints.append(("^R", field.revealed ? s.hide : s.show)) }
                if field.isSelect { hints.append(("←→", s.t("choose", "escolher"))) }
            }
            hints.append(("Esc", s.t("done", "pronto")))
            return hints
        case .mfa:
            if state.prompt?.editing == false { return [("Enter", s.t("edit", "editar")), ("q", s.t("close", "fechar")), help] }
            var hints = [("Enter", s.t("send", "enviar"))]
            if state.prompt?.field.isSelect == true { hints.append(("↑↓", s.t("choose", "escolher"))) } else { hints.append(("^R", state.prompt?.field.revealed == true ? s.hide : s.show)) }
            hints.append(("Esc", s.t("done", "pronto")))
            return hints
        case .authorization:
            var hints: [(String, String)] = []
            if state.config.simulator { hints += [("a", s.t("approve", "aprovar")), ("d", s.deny)] }
            return hints + [close, help]
        case .result:
            var hints: [(String, String)] = []
            if ConnectEngine.retryAvailable(state) { hints.append(("Enter", s.t("try again", "tentar de novo"))) } else { hints.append(("Enter", s.t("close", "fechar"))) }
            if state.config.simulator { hints.append(("s", s.t("run auto-sync", "sincronizar"))) }
            return hints + [("q", s.t("close", "fechar")), help]
        case .autoSync:
            var hints = [("Enter", s.t("close", "fechar"))]
            if state.config.simulator { hints.append(("s", s.t("next day", "próximo dia"))) }
            return hints + [("u", s.t("update", "atualizar")), help]
        }
    }

    static func help(_ canvas: inout Canvas, card: Rect, state: WidgetState, strings s: Strings, theme: Theme) {
        let lines: [(String, String)] = [
            ("Tab / ↓", s.t("next field", "próximo campo")),
            ("Shift-Tab / ↑", s.t("previous field", "campo anterior")),
            ("Enter", s.t("submit / continue", "enviar / continuar")),
            ("Ctrl-R", s.t("show or hide a secret", "mostrar ou ocultar segredo")),
            ("←→ Space", s.t("choose an option", "escolher uma opção")),
            ("Esc", s.t("stop editing, then close", "parar de editar, depois fechar")),
            ("q", s.t("close (when not typing)", "fechar (fora de um campo)")),
            ("Ctrl-C", s.t("close now", "fechar agora")),
            ("a / d", s.t("simulator: approve / deny", "simulador: aprovar / negar")),
            ("s", s.t("simulator: next auto-sync", "simulador: próxima sincronização")),
        ]
        let width = min(card.width - 4, 48)
        let height = min(card.height - 2, lines.count + 4)
        guard width > 10, height > 4 else { return }
        let box = Rect(x: card.x + (card.width - width) / 2, y: card.y + (card.height - height) / 2, width: width, height: height)
        canvas.fill(box, style: .plain)
        canvas.box(box, style: theme.accent)
        canvas.put(" " + s.helpTitle + " ", x: box.x + 2, y: box.y, style: theme.bold)
        for (index, line) in lines.enumerated() where index < height - 3 {
            let y = box.y + 2 + index
            canvas.put(line.0, x: box.x + 2, y: y, style: theme.bold, clip: box.inset(by: 1))
            canvas.put(line.1, x: box.x + 17, y: y, style: theme.text, clip: box.inset(by: 1))
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
