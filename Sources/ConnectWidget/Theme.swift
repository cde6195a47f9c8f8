import Pluggy
import TerminalCanvas

/// Colours and attributes of the widget: full colour, or monochrome (NO_COLOR / --no-color), where
/// attributes alone keep everything readable.
public struct Theme: Sendable, Equatable {
    public var colors: Bool

    public init(colors: Bool) { self.colors = colors }

    public static let color = Theme(colors: true)
    public static let monochrome = Theme(colors: false)

    public var text: Style { .plain }
    public var dim: Style { Style(dim: true) }
    var bold: Style { Style(bold: true) }
    var border: Style { colors ? Style(foreground: .indexed(244)) : Style(dim: true) }
    var error: Style { colors ? Style(foreground: .indexed(203), bold: true) : Style(bold: true) }
    var warning: Style { colors ? Style(foreground: .indexed(214)) : Style(underline: true) }
    var success: Style { colors ? Style(foreground: .indexed(78), bold: true) : Style(bold: true) }
    var accent: Style { colors ? Style(foreground: .indexed(75)) : Style(bold: true) }
    public var hint: Style { colors ? Style(foreground: .indexed(250), background: .indexed(236)) : Style(reverse: true) }
    public var hintKey: Style { colors ? Style(foreground: .indexed(255), background: .indexed(236), bold: true) : Style(bold: true, reverse: true) }
    var simulator: Style { colors ? Style(foreground: .indexed(141), bold: true) : Style(bold: true, underline: true) }

    func field(focused: Bool) -> Style {
        if colors { return Style(foreground: .indexed(255), background: .indexed(focused ? 239 : 237)) }
        return Style(underline: true, reverse: focused)
    }

    func placeholder(focused: Bool) -> Style {
        if colors { return Style(foreground: .indexed(245), background: .indexed(focused ? 239 : 237)) }
        return Style(dim: true, underline: true, reverse: focused)
    }

    public func button(focused: Bool) -> Style {
        if colors {
            return focused ? Style(foreground: .indexed(16), background: .indexed(75), bold: true)
                : Style(foreground: .indexed(255), background: .indexed(239))
        }
        return focused ? Style(bold: true, reverse: true) : Style(bold: true)
    }

    /// The header in the institution's brand colour, with text that stays readable on it.
    public func header(_ connector: Connector?) -> Style {
        guard colors else { return Style(bold: true, reverse: true) }
        guard let hex = connector?.primaryColor, let brand = Color(hex: hex) else {
            return Style(foreground: .indexed(255), background: .indexed(24), bold: true)
        }
        let background = Color.indexed(brand.nearest256)
        return Style(foreground: Color.readableText(on: background), background: background, bold: true)
    }

    public func status(_ status: ItemStatus) -> Style {
        switch status {
        case .updated: return success
        case .loginError: return error
        case .outdated: return warning
        default: return accent
        }
    }
}
