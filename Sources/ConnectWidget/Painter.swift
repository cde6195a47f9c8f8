#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import TerminalCanvas

/// Draws one screen's content inside the card, top to bottom.
struct Painter {
    var canvas: Canvas
    let area: Rect
    let theme: Theme
    let strings: Strings
    let state: WidgetState
    /// A short terminal: no frame, no spacing, the status in the header bar.
    let compact: Bool
    var y: Int

    init(canvas: Canvas, area: Rect, theme: Theme, strings: Strings, state: WidgetState, compact: Bool) {
        self.canvas = canvas
        self.area = area
        self.theme = theme
        self.strings = strings
        self.state = state
        self.compact = compact
        self.y = area.y
    }

    var inner: Rect { Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height) }
    var remaining: Int { area.maxY - y }
    var bank: String { state.item?.connector.name ?? "" }

    // MARK: - Building blocks

    mutating func line(_ text: String, _ style: Style, indent: Int = 0) {
        guard y < area.maxY else { return }
        canvas.put(TextWidth.truncate(text, to: inner.width - indent), x: inner.x + indent, y: y, style: style, clip: inner)
        y += 1
    }

    /// Wrapped text, at most `maxLines` lines (the last one cut with an ellipsis).
    mutating func paragraph(_ text: String, _ style: Style, maxLines: Int = 4, indent: Int = 0) {
        var lines = TextWidth.wrap(text, width: max(1, inner.width - indent))
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            if let last = lines.popLast() { lines.append(TextWidth.truncate(last + " …", to: inner.width - indent)) }
        }
        for text in lines { line(text, style, indent: indent) }
    }

    mutating func gap() { if !compact, y < area.maxY { y += 1 } }

    /// The institution: name in its brand colour, type, status and last successful update.
    mutating func header() {
        let connector = state.item?.connector
        let style = theme.header(connector)
        canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style)
        let name = connector?.name ?? "Pluggy Connect"
        canvas.put(" " + TextWidth.truncate(name, to: area.width - 4), x: area.x, y: y, style: style, clip: area)
        let tag = compact ? (state.item.map { strings.itemStatus($0.status) } ?? "") : (connector.map { _ in strings.title } ?? "")
        let tagWidth = TextWidth.of(tag)
        if tagWidth + TextWidth.of(name) + 4 < area.width {
            canvas.put(tag, x: area.maxX - tagWidth - 1, y: y, style: Style(foreground: style.foreground, background: style.background), clip: area)
        }
        y += 1
        guard let item = state.item, !compact else {
            gap()
            return
        }
        let x = canvas.put(strings.connectorType(item.connector.type) + "  ·  ", x: inner.x, y: y, style: theme.dim, clip: inner)
        canvas.put(strings.itemStatus(item.status), x: x, y: y, style: theme.status(item.status), clip: inner)
        y += 1
        if area.height >= 14 {
            line(strings.lastUpdate + ": " + strings.date(item.lastUpdatedAt, now: state.now), theme.dim)
        }
        gap()
    }

    /// A one-line input: the value (masked when secret), or the placeholder; returns the cursor column.
    mutating func input(_ field: Field, focused: Bool) -> Int? {
        guard y < area.maxY else { return nil }
        let width = inner.width
        let style = theme.field(focused: focused)
        canvas.fill(Rect(x: inner.x, y: y, width: width, height: 1), style: style)
        var cursorX: Int?
        if field.isSelect, let options = field.credential.options, let option = options[safe: field.option] {
            let text = "‹ " + TextWidth.truncate(option.label, to: width - 5) + " ›"
            canvas.put(text, x: inner.x + 1, y: y, style: style, clip: inner)
        } else if field.text.isEmpty {
            if let placeholder = field.credential.placeholder, !placeholder.isEmpty, !field.isSecret {
                canvas.put(TextWidth.truncate(placeholder, to: width - 2), x: inner.x + 1, y: y, style: theme.placeholder(focused: focused), clip: inner)
            }
            cursorX = inner.x + 1
        } else {
            let chars = Array(field.text)
            let shown = field.isSecret && !field.revealed ? chars.map { _ in "•" } : chars.map(String.init)
            // Scroll so the cursor stays visible.
            let room = max(1, width - 2)
            let cursor = min(field.cursor, shown.count)
            var start = 0
            while TextWidth.of(shown[start..<cursor].joined()) >= room, start < cursor { start += 1 }
            var x = inner.x + 1
            for index in start..<shown.count {
                let w = max(1, TextWidth.of(shown[index]))
                if x + w > inner.x + 1 + room { break }
                if index == cursor { cursorX = x }
                x = canvas.put(shown[index], x: x, y: y, style: style, secret: field.isSecret, clip: inner)
            }
            if cursorX == nil { cursorX = min(x, inner.maxX - 1) }
        }
        y += 1
        return focused ? cursorX : nil
    }

    mutating func fieldMessage(_ field: Field, focused: Bool) {
        if let error = field.error {
            let text: String
            switch error {
            case .required: text = strings.required
            case .invalid(let message): text = message ?? strings.invalidValue
            case .refused(let message): text = message
            }
            line("✗ " + text, theme.error)
        } else if focused, let assistive = field.credential.assistiveText, !assistive.isEmpty {
            line(assistive, theme.dim)
        }
    }

    mutating func countdown(until expiresAt: Date?) {
        guard let expiresAt else { return }
        let left = expiresAt.timeIntervalSince(state.now)
        if left <= 0 {
            line(strings.expired, theme.error)
        } else {
            line(strings.expiresIn + " " + strings.countdown(left), left <= 30 ? theme.error : theme.warning)
        }
    }

    var spinnerFrame: String {
        let tenths = Int((state.now.timeIntervalSince1970 * 10).rounded(.down))
        return Screens.spinner[((tenths % Screens.spinner.count) + Screens.spinner.count) % Screens.spinner.count]
    }

    // MARK: - Steps

    mutating func opening() {
        line(spinnerFrame + " " + strings.opening, theme.accent)
    }

    mutating func openingFailed() {
        line("✗ " + strings.openingFailed, theme.error)
        gap()
        if let error = state.openingError {
            paragraph(error.message, theme.text, maxLines: 5)
            gap()
            line(strings.code + ": " + (error.codeDescription ?? "HTTP \(error.code)"), theme.dim)
        }
    }

    mutating func credentials() {
        guard let form = state.form else { return }
        if let banner = state.banner {
            paragraph("✗ " + banner, theme.error, maxLines: compact ? 1 : 2)
            if let attempts = state.item?.consecutiveFailedLoginAttempts, attempts >= 2 {
                paragraph("! " + strings.lockWarning(attempts), theme.warning, maxLines: compact ? 1 : 2)
            }
        } else if let item = state.item, item.status != .updated, area.height >= 16 {
            paragraph(strings.reason(item.error?.code ?? item.executionStatus, bank: bank), theme.dim, maxLines: 2)
        }
        gap()
        // Each field: label, input, then its message (or a blank line when there is room). Scroll whole
        // fields so the focused one and the button stay visible.
        let heights = form.fields.indices.map { blockHeight(form, $0) }
        let focus = min(form.focus ?? 0, form.fields.count)
        let budget = remaining - 1
        var first = 0
        while first < focus, first < form.fields.count,
            heights[first...min(focus, form.fields.count - 1)].reduce(0, +) > budget
        {
            first += 1
        }
        var cursor: Position?
        var index = first
        while index < form.fields.count, y + heights[index] <= area.maxY - 1 {
            let field = form.fields[index]
            let focused = form.focus == index
            var label = field.credential.label
            if field.credential.isOptional { label += strings.t(" (optional)", " (opcional)") }
            line(label, focused ? theme.bold : theme.text)
            let row = y
            if let x = input(field, focused: focused) { cursor = Position(x: x, y: row) }
            let before = y
            fieldMessage(field, focused: focused)
            if y == before, !compact { y += 1 }
            index += 1
        }
        if index < form.fields.count, y < area.maxY - 1 { line("↓ …", theme.dim) }
        button(strings.submit, focused: form.focus == form.submitIndex)
        canvas.cursor = cursor
    }

    /// Rows a field takes: label, input, and a message line (always, unless the terminal is short).
    func blockHeight(_ form: CredentialsForm, _ index: Int) -> Int {
        let field = form.fields[index]
        let hasMessage = field.error != nil || (form.focus == index && !(field.credential.assistiveText ?? "").isEmpty)
        return 2 + (hasMessage || !compact ? 1 : 0)
    }

    mutating func button(_ title: String, focused: Bool) {
        guard y < area.maxY else { return }
        let text = "  " + title + "  "
        let x = inner.x + max(0, (inner.width - TextWidth.of(text)) / 2)
        canvas.put(text, x: x, y: y, style: theme.button(focused: focused), clip: inner)
        y += 1
    }

    mutating func progress() {
        line(spinnerFrame + " " + strings.progressTitle, theme.accent)
        if let run = state.run {
            let elapsed = max(0, state.now.timeIntervalSince(run.startedAt))
            line(strings.countdown(elapsed) + " " + strings.elapsed, theme.dim)
        }
        if let error = state.callError {
            paragraph("! " + strings.t("Reconnecting: ", "Reconectando: ") + error.message, theme.warning, maxLines: 2)
        }
        gap()
        let steps = state.run?.steps ?? []
        let shown = steps.suffix(max(1, remaining))
        for (index, step) in shown.enumerated() {
            let last = index == shown.count - 1
            line((last ? spinnerFrame : "✓") + " " + strings.step(step), last ? theme.text : theme.dim)
        }
    }

    mutating func mfa() {
        guard let prompt = state.prompt else { return }
        let parameter = prompt.field.credential
        if let banner = state.banner { paragraph("✗ " + banner, theme.error, maxLines: 2) }
        line(parameter.label, theme.bold)
        if let instructions = parameter.instructions, !instructions.isEmpty {
            paragraph(instructions, theme.text, maxLines: compact ? 1 : 3)
        }
        gap()
        var cursor: Position?
        if prompt.field.isSelect, let options = parameter.options {
            let visible = max(1, remaining - 3)
            let first = max(0, prompt.field.option - visible + 1)
            for (index, option) in options.enumerated() where index >= first && index < first + visible {
                let chosen = index == prompt.field.option
                line((chosen ? "● " : "○ ") + option.label, chosen ? theme.button(focused: prompt.editing) : theme.text)
            }
        } else {
            let row = y
            if let x = input(prompt.field, focused: prompt.editing) { cursor = Position(x: x, y: row) }
        }
        fieldMessage(prompt.field, focused: prompt.editing)
        countdown(until: parameter.expiresAt)
        canvas.cursor = cursor
    }

    mutating func authorization() {
        line(spinnerFrame + " " + strings.waitingApproval, theme.accent)
        gap()
        if let action = state.item?.userAction {
            paragraph(action.instructions, theme.text, maxLines: compact ? 2 : 4)
            if let url = action.attributes?["consentUrl"] {
                line(strings.consentPage + ":", theme.dim)
                line(url, theme.accent)
            }
            countdown(until: action.expiresAt)
        }
        if state.config.simulator, remaining >= 2 {
            gap()
            let consent = state.item?.userAction?.attributes?["consentUrl"] != nil
            line("[" + strings.simulator + "] a: " + (consent ? strings.approveConsent : strings.approve) + " · d: " + strings.deny,
                 theme.simulator)
        }
    }

    mutating func result() {
        guard let finished = state.finished else { return }
        switch finished {
        case .success(let item):
            let partial = item.executionStatus == .partialSuccess
            line((partial ? "! " : "✓ ") + (partial ? strings.partialTitle : strings.successTitle), partial ? theme.warning : theme.success)
            gap()
            if partial, let detail = item.statusDetail {
                let failed = detail.failedProducts.map(strings.product)
                if !failed.isEmpty { paragraph(strings.notUpdated + ": " + failed.joined(separator: ", "), theme.warning, maxLines: 2) }
            }
            for warning in item.statusDetail?.warnings.prefix(1) ?? [] {
                paragraph("! " + strings.product(warning.product) + ": " + warning.warning.message, theme.warning, maxLines: 2)
            }
            line(strings.lastUpdate + ": " + strings.date(item.lastUpdatedAt, now: state.now), theme.text)
            line(strings.nextAutoSync + ": " + strings.date(item.nextAutoSyncAt, now: state.now), theme.text)
            gap()
            let needsUser = item.connector.hasMFA || item.connector.oneStepMFACredential != nil
            paragraph(strings.autoSyncNote(needsUser: needsUser, bank: item.connector.name), theme.dim, maxLines: 3)
        case .error(let code, let message, let item):
            line("✗ " + strings.errorTitle, theme.error)
            gap()
            let status = ExecutionStatus(rawValue: code)
            if state.callError == nil {
                paragraph(strings.reason(status, bank: item?.connector.name ?? bank), theme.text, maxLines: 3)
            }
            paragraph(message, theme.dim, maxLines: 2)
            if let provider = item?.error?.providerMessage, !provider.isEmpty {
                paragraph(strings.bankSays + ": “" + provider + "”", theme.warning, maxLines: 2)
            }
            line(strings.code + ": " + code, theme.dim)
            gap()
            paragraph(strings.whatToDo + ": " + strings.advice(status), theme.accent, maxLines: 2)
        }
    }

    mutating func autoSyncResult() {
        guard let result = state.autoSync else { return }
        line(strings.autoSyncTitle, theme.bold)
        gap()
        let outcome = result.autoSync ?? .failed
        line((outcome == .synced ? "✓ " : outcome == .skipped ? "– " : "✗ ") + strings.autoSyncOutcome(outcome),
             outcome == .synced ? theme.success : outcome == .skipped ? theme.warning : theme.error)
        if !result.path.isEmpty {
            paragraph(result.path.map(strings.step).joined(separator: " → "), theme.dim, maxLines: 2)
        }
        gap()
        let item = result.item
        let x = canvas.put(strings.status + ": ", x: inner.x, y: y, style: theme.text, clip: inner)
        canvas.put(strings.itemStatus(item.status) + " (" + item.executionStatus.rawValue + ")", x: x, y: y, style: theme.status(item.status), clip: inner)
        y += 1
        if outcome == .failed, let error = item.error { paragraph(error.message, theme.dim, maxLines: 3) }
        line(strings.nextAutoSync + ": " + strings.date(item.nextAutoSyncAt, now: state.now), theme.text)
    }
}
