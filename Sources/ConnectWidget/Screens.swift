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
        if state.showHelp {
            let back = (s.t("Esc", "Esc"), s.t("back", "voltar"))
            return helpScrollLimit(state) > 0 ? [("↑↓", s.t("scroll", "rolar")), back] : [back]
        }
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

    /// The help's keys and what they do; the simulator's only when it is there.
    static func helpEntries(_ state: WidgetState, _ s: Strings) -> [(String, String)] {
        var entries: [(String, String)] = [
            ("Tab / ↓", s.t("next field", "próximo campo")),
            ("Shift-Tab / ↑", s.t("previous field", "campo anterior")),
            ("Enter", s.t("submit / continue", "enviar / continuar")),
            ("Ctrl-R", s.t("show or hide a secret", "mostrar ou ocultar segredo")),
            ("←→ Space", s.t("choose an option", "escolher uma opção")),
            ("Esc", s.t("stop editing, then close", "parar de editar, depois fechar")),
            ("q", s.t("close (when not typing)", "fechar (fora de um campo)")),
            ("Ctrl-C", s.t("close now", "fechar agora")),
        ]
        if state.config.simulator {
            entries.append(("a / d", s.t("simulator: approve / deny", "simulador: aprovar / negar")))
            entries.append(("s", s.t("simulator: next auto-sync", "simulador: próxima sincronização")))
        }
        return entries
    }

    /// Where the help box goes and what it shows: the rows (key, description line), wrapped to fit.
    struct HelpLayout {
        var box: Rect
        var keyWidth: Int
        var rows: [(key: String, text: String)]
        /// Rows that fit between the box's title line and its bottom border.
        var visible: Int
    }

    static func helpLayout(_ state: WidgetState) -> HelpLayout {
        let s = Strings(state.config.language)
        let entries = helpEntries(state, s)
        let canvasWidth = state.size.width, canvasHeight = state.size.height
        // Beside the card on wide screens; the whole width (and every row but the hints) on small ones.
        let width = min(canvasWidth >= 52 ? canvasWidth - 12 : canvasWidth, 48)
        let keyWidth = (entries.map { TextWidth.of($0.0) }.max() ?? 0) + 2
        let textWidth = max(1, width - 4 - keyWidth - 1)
        var rows: [(key: String, text: String)] = []
        for (key, text) in entries {
            for (index, line) in TextWidth.wrap(text, width: textWidth).enumerated() {
                rows.append((index == 0 ? key : "", line))
            }
        }
        let height = min(canvasHeight - 1, rows.count + 4)
        let box = Rect(x: (canvasWidth - width) / 2, y: max(0, (canvasHeight - 1 - height) / 2), width: width, height: height)
        return HelpLayout(box: box, keyWidth: keyWidth, rows: rows, visible: max(0, height - 3))
    }

    /// How far the help can scroll: 0 when it fits.
    public static func helpScrollLimit(_ state: WidgetState) -> Int {
        let layout = helpLayout(state)
        return max(0, layout.rows.count - layout.visible)
    }

    static func help(_ canvas: inout Canvas, card: Rect, state: WidgetState, strings s: Strings, theme: Theme) {
        let layout = helpLayout(state)
        let box = layout.box
        guard box.width > 10, box.height > 4 else { return }
        canvas.fill(box, style: .plain)
        canvas.box(box, style: theme.accent)
        canvas.put(" " + s.helpTitle + " ", x: box.x + 2, y: box.y, style: theme.bold)
        let limit = max(0, layout.rows.count - layout.visible)
        let first = min(max(0, state.helpScroll), limit)
        for (offset, row) in layout.rows.dropFirst(first).prefix(layout.visible).enumerated() {
            let y = box.y + 2 + offset
            canvas.put(row.key, x: box.x + 2, y: y, style: theme.bold, clip: box.inset(by: 1))
            canvas.put(row.text, x: box.x + 2 + layout.keyWidth, y: y, style: theme.text, clip: box.inset(by: 1))
        }
        if limit > 0 {
            let marks = (first > 0 ? "↑" : "") + (first < limit ? "↓" : "")
            let label = " \(marks) \(first + 1)–\(first + min(layout.visible, layout.rows.count))/\(layout.rows.count) "
            canvas.put(label, x: box.x + box.width - 2 - TextWidth.of(label), y: box.y + box.height - 1, style: theme.accent)
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
