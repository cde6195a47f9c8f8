import Pluggy
import TerminalCanvas

/// One item the picker offers.
public struct PickerEntry: Sendable, Equatable {
    public var name: String
    public var itemId: String
    public var institution: String
    public var status: ItemStatus
    public var executionStatus: ExecutionStatus
    public var description: String

    public init(name: String, itemId: String, institution: String, status: ItemStatus, executionStatus: ExecutionStatus, description: String) {
        self.name = name
        self.itemId = itemId
        self.institution = institution
        self.status = status
        self.executionStatus = executionStatus
        self.description = description
    }
}

/// The list of sandbox items to update, shown when connect-tui starts without an item: a pure state
/// machine like the widget (keys in, a choice or a close out).
public struct Picker: Sendable, Equatable {
    public var entries: [PickerEntry]
    public var selection = 0
    public var size: Size
    public var language: Language

    public init(entries: [PickerEntry], size: Size, language: Language) {
        self.entries = entries
        self.size = size
        self.language = language
    }

    public enum Decision: Equatable, Sendable {
        case none
        case chose(String)
        case closed
    }

    public mutating func handle(_ key: Key) -> Decision {
        guard !entries.isEmpty else { return key == .enter || key == .escape || key == .character("q") || key == .control("C") ? .closed : .none }
        switch key {
        case .up, .character("k"), .backTab: selection = (selection + entries.count - 1) % entries.count
        case .down, .character("j"), .tab: selection = (selection + 1) % entries.count
        case .home: selection = 0
        case .end: selection = entries.count - 1
        case .pageUp: selection = max(0, selection - 5)
        case .pageDown: selection = min(entries.count - 1, selection + 5)
        case .enter, .character(" "): return .chose(entries[selection].itemId)
        case .escape, .character("q"), .control("C"): return .closed
        default: break
        }
        return .none
    }

    public func render(theme: Theme) -> Canvas {
        var canvas = Canvas(width: size.width, height: size.height)
        let strings = Strings(language)
        guard size.width >= Screens.minimumSize.width, size.height >= Screens.minimumSize.height else {
            Screens.tooSmall(&canvas, strings: strings, theme: theme)
            return canvas
        }
        let width = min(size.width, 72)
        let x0 = (size.width - width) / 2
        let title = strings.t(" Pluggy sandbox — choose an item to update ", " Sandbox Pluggy — escolha um item para atualizar ")
        canvas.fill(Rect(x: x0, y: 0, width: width, height: 1), style: theme.header(nil))
        canvas.put(TextWidth.truncate(title, to: width), x: x0, y: 0, style: theme.header(nil))
        let listTop = 2
        let detailHeight = 3
        let rows = max(1, size.height - listTop - detailHeight - 2)
        let first = max(0, min(selection - rows / 2, entries.count - rows))
        for (offset, entry) in entries.enumerated().dropFirst(first).prefix(rows) {
            let y = listTop + offset - first
            let chosen = offset == selection
            let style = chosen ? theme.button(focused: true) : theme.text
            if chosen { canvas.fill(Rect(x: x0, y: y, width: width, height: 1), style: style) }
            var x = canvas.put((chosen ? "› " : "  ") + entry.name, x: x0, y: y, style: style, clip: Rect(x: x0, y: y, width: width, height: 1))
            x = max(x, x0 + 24)
            x = canvas.put(TextWidth.truncate(entry.institution, to: 22), x: x, y: y, style: style, clip: Rect(x: x0, y: y, width: width, height: 1))
            x = max(x, x0 + 48)
            canvas.put(entry.executionStatus.rawValue, x: x, y: y, style: chosen ? style : theme.status(entry.status),
                       clip: Rect(x: x0, y: y, width: width, height: 1))
        }
        if entries.indices.contains(selection) {
            let lines = TextWidth.wrap(entries[selection].description, width: width - 2)
            for (index, line) in lines.prefix(detailHeight).enumerated() {
                canvas.put(line, x: x0 + 1, y: size.height - 1 - detailHeight + index, style: theme.dim)
            }
        }
        let y = size.height - 1
        canvas.fill(Rect(x: 0, y: y, width: size.width, height: 1), style: theme.hint)
        var x = 1
        for (key, action) in [("↑↓", strings.t("choose", "escolher")), ("Enter", strings.t("update", "atualizar")), ("q", strings.t("quit", "sair"))] {
            x = canvas.put(key, x: x, y: y, style: theme.hintKey)
            x = canvas.put(" " + action + "  ", x: x, y: y, style: theme.hint)
        }
        return canvas
    }
}
