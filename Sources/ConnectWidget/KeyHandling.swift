import Pluggy

extension ConnectEngine {
    static let maxFieldLength = 256

    static func handleKey(_ state: inout WidgetState, _ key: Key) -> [Effect] {
        if key == .control("C") { return close(&state) }
        // Below the minimum size nothing is visible to act on: only closing works.
        if state.size.width < Screens.minimumSize.width || state.size.height < Screens.minimumSize.height {
            return key == .escape || key == .character("q") ? close(&state) : []
        }
        if state.showHelp {
            switch key {
            case .escape, .character("?"), .enter, .character("q"): state.showHelp = false
            case .down, .character("j"), .pageDown:
                state.helpScroll = min(state.helpScroll + (key == .pageDown ? 5 : 1), Screens.helpScrollLimit(state))
            case .up, .character("k"), .pageUp:
                state.helpScroll = max(0, state.helpScroll - (key == .pageUp ? 5 : 1))
            default: break
            }
            return []
        }
        switch state.step {
        case .opening, .progress:
            return closeKeys(&state, key)
        case .openingFailed:
            if key == .enter || key == .escape || key == .character("q") { return close(&state) }
            if key == .character("?") { state.showHelp = true }
            return []
        case .credentials:
            return formKey(&state, key)
        case .mfa:
            return promptKey(&state, key)
        case .authorization:
            switch key {
            case .character("a"), .character("A"): return simulate(&state, .approve)
            case .character("d"), .character("D"): return simulate(&state, .deny)
            default: return closeKeys(&state, key)
            }
        case .result:
            switch key {
            case .enter:
                if retryAvailable(state) { return retry(&state) }
                return close(&state)
            case .character("r"), .character("R"):
                return retryAvailable(state) ? retry(&state) : []
            case .character("s"), .character("S"):
                return simulate(&state, .autoSync)
            default:
                return closeKeys(&state, key)
            }
        case .autoSync:
            switch key {
            case .enter: return close(&state)
            case .character("s"), .character("S"): return simulate(&state, .autoSync)
            case .character("u"), .character("U"):
                // Open the widget again for this item, as the user would after a failed auto-sync.
                state.autoSync = nil
                guard let item = state.item else { return [] }
                state.finished = nil
                return opened(&state, item)
            default: return closeKeys(&state, key)
            }
        }
    }

    /// Esc, q and ? where nothing is being typed.
    static func closeKeys(_ state: inout WidgetState, _ key: Key) -> [Effect] {
        switch key {
        case .escape, .character("q"), .character("Q"): return close(&state)
        case .character("?"):
            state.showHelp = true
            return []
        default: return []
        }
    }

    /// Start again after an error: the form when an MFA value must be typed anew, else the same update
    /// again, with the credentials the user typed for it (never the stored ones the bank refused).
    static func retry(_ state: inout WidgetState) -> [Effect] {
        guard let item = state.item else { return [] }
        if item.connector.oneStepMFACredential != nil {
            showForm(&state, banner: nil, keepValues: true)
            return []
        }
        return startUpdate(&state, parameters: state.lastSubmitted)
    }

    // MARK: - The form

    static func formKey(_ state: inout WidgetState, _ key: Key) -> [Effect] {
        guard var form = state.form else { return closeKeys(&state, key) }
        defer { if !state.closed, state.step == .credentials { state.form = form } }
        guard let focus = form.focus else {
            // Not editing: Esc / q close, ? helps, anything else brings focus back.
            switch key {
            case .escape, .character("q"), .character("Q"), .character("?"): return closeKeys(&state, key)
            case .enter:
                let effects = submitForm(&state)
                if let updated = state.form { form = updated }
                return effects
            case .backTab, .up: form.focus = form.submitIndex
            default: form.focus = 0
            }
            return []
        }
        let onSubmit = focus == form.submitIndex
        switch key {
        case .escape:
            form.focus = nil
        case .tab, .down:
            leave(&form, focus)
            form.focus = (focus + 1) % (form.fields.count + 1)
        case .backTab, .up:
            leave(&form, focus)
            form.focus = (focus + form.fields.count) % (form.fields.count + 1)
        case .enter:
            state.form = form
            let effects = submitForm(&state)
            if let updated = state.form { form = updated }
            return effects
        case .control("R"):
            if !onSubmit, form.fields[focus].isSecret { form.fields[focus].revealed.toggle() }
        case .character(let c) where onSubmit:
            if c == " " {
                state.form = form
                let effects = submitForm(&state)
                if let updated = state.form { form = updated }
                return effects
            }
            if c == "q" || c == "Q" || c == "?" {
                state.form = form
                return closeKeys(&state, key)
            }
        default:
            if !onSubmit { edit(&form.fields[focus], key) }
        }
        return []
    }

    /// Validates a field the user leaves, if it holds anything or was refused before.
    static func leave(_ form: inout CredentialsForm, _ index: Int) {
        guard form.fields.indices.contains(index) else { return }
        let field = form.fields[index]
        if !field.text.isEmpty || field.error != nil { form.fields[index].error = validate(field) }
    }

    /// Edits one field: typing, deleting, moving the cursor, cycling a select's options.
    static func edit(_ field: inout Field, _ key: Key) {
        if field.isSelect {
            let count = field.credential.options?.count ?? 0
            guard count > 0 else { return }
            switch key {
            case .left, .character("-"): field.option = (field.option + count - 1) % count
            case .right, .character(" "), .character("+"): field.option = (field.option + 1) % count
            case .home: field.option = 0
            case .end: field.option = count - 1
            default: break
            }
            field.error = nil
            return
        }
        var chars = Array(field.text)
        field.cursor = min(max(0, field.cursor), chars.count)
        switch key {
        case .character(let c):
            insert(String(c), into: &field)
            return
        case .backspace:
            if field.cursor > 0 {
                chars.remove(at: field.cursor - 1)
                field.cursor -= 1
            }
        case .delete:
            if field.cursor < chars.count { chars.remove(at: field.cursor) }
        case .left: field.cursor = max(0, field.cursor - 1)
        case .right: field.cursor = min(chars.count, field.cursor + 1)
        case .home, .control("A"): field.cursor = 0
        case .end, .control("E"): field.cursor = chars.count
        case .control("U"):
            chars.removeSubrange(0..<field.cursor)
            field.cursor = 0
        case .control("K"):
            chars.removeSubrange(field.cursor..<chars.count)
        default:
            return
        }
        field.text = String(chars)
        if field.error == .required, !field.text.isEmpty { field.error = nil }
    }

    /// Inserts text at the cursor: control characters (newlines included) never enter a field, and a
    /// number field takes digits only.
    static func insert(_ text: String, into field: inout Field) {
        guard !field.isSelect else { return }
        var accepted = text.filter { c in
            guard !c.isNewline, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }) else { return false }
            return field.credential.type != .number || c.isASCII && c.isNumber
        }
        var chars = Array(field.text)
        let room = maxFieldLength - chars.count
        guard room > 0, !accepted.isEmpty else { return }
        if accepted.count > room { accepted = String(accepted.prefix(room)) }
        field.cursor = min(max(0, field.cursor), chars.count)
        chars.insert(contentsOf: accepted, at: field.cursor)
        field.cursor += accepted.count
        field.text = String(chars)
        if field.error != nil { field.error = nil }
    }

    static func handlePaste(_ state: inout WidgetState, _ text: String) -> [Effect] {
        guard !state.showHelp, state.size.width >= Screens.minimumSize.width, state.size.height >= Screens.minimumSize.height
        else { return [] }
        switch state.step {
        case .credentials:
            guard var form = state.form, let focus = form.focus, form.fields.indices.contains(focus) else { return [] }
            insert(text, into: &form.fields[focus])
            state.form = form
        case .mfa:
            guard var prompt = state.prompt, prompt.editing else { return [] }
            insert(text, into: &prompt.field)
            state.prompt = prompt
        default:
            break
        }
        return []
    }

    // MARK: - The MFA prompt

    static func promptKey(_ state: inout WidgetState, _ key: Key) -> [Effect] {
        guard var prompt = state.prompt else { return closeKeys(&state, key) }
        if !prompt.editing {
            switch key {
            case .escape, .character("q"), .character("Q"), .character("?"): return closeKeys(&state, key)
            default:
                prompt.editing = true
                state.prompt = prompt
                return []
            }
        }
        switch key {
        case .escape:
            prompt.editing = false
        case .enter:
            state.prompt = prompt
            return submitPrompt(&state)
        case .up where prompt.field.isSelect:
            edit(&prompt.field, .left)
        case .down where prompt.field.isSelect:
            edit(&prompt.field, .right)
        case .control("R"):
            prompt.field.revealed.toggle()
        case .character("?") where prompt.field.isSelect || prompt.field.credential.type == .number:
            state.showHelp = true
        default:
            edit(&prompt.field, key)
        }
        state.prompt = prompt
        return []
    }
}
