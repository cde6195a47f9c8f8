/// A failed call to Pluggy, as Pluggy's error body describes it:
/// `{ code, codeDescription?, message, details?, errorId? }` (`ItemCreationErrorResponse`).
///
/// `code` is the HTTP status (0 when the server could not be reached). Messages never contain a
/// credential or an MFA value.
public struct PluggyAPIError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    /// HTTP status, or 0 when there was no response.
    public var code: Int
    /// Pluggy's machine-readable name for the error (`ITEM_ALREADY_UPDATING`, `TOKEN_EXPIRED`, …).
    public var codeDescription: String?
    public var message: String
    /// One entry per invalid parameter, for 400 validation errors.
    public var details: [ParameterValidationError]?
    /// Quote it when contacting support.
    public var errorId: String?
    /// For 429: seconds to wait before trying again (the `Retry-After` header).
    public var retryAfterSeconds: Int?

    public init(code: Int, codeDescription: String? = nil, message: String,
                details: [ParameterValidationError]? = nil, errorId: String? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.codeDescription = codeDescription
        self.message = message
        self.details = details
        self.errorId = errorId
        self.retryAfterSeconds = retryAfterSeconds
    }

    enum CodingKeys: String, CodingKey { case code, codeDescription, message, details, errorId }

    /// What kind of failure this is, from the HTTP status.
    public var kind: Kind {
        switch code {
        case 0: return .unreachable
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        case 429: return .rateLimited
        case 500...: return .server
        default: return .other
        }
    }

    public enum Kind: String, Sendable {
        case badRequest, unauthorized, forbidden, notFound, conflict, rateLimited, server, unreachable, other
    }

    /// One line a user can act on: the message, each invalid parameter, and the code.
    public var description: String {
        var text = message
        if let details, !details.isEmpty {
            text += " (" + details.map { "\($0.parameter ?? "?"): \($0.message)" }.joined(separator: "; ") + ")"
        }
        let label = codeDescription.map { code == 0 ? $0 : "\(code) \($0)" } ?? (code == 0 ? "network" : "HTTP \(code)")
        return "\(text) [\(label)]"
    }
}

/// Why one parameter was refused: `001` missing, `002` rule (regex) failed, `003` date rule failed.
public struct ParameterValidationError: Codable, Hashable, Sendable {
    public var code: String
    public var message: String
    public var parameter: String?

    public init(code: String, message: String, parameter: String?) {
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public static let missingRequiredParameter = "001"
    public static let ruleValidationError = "002"
    public static let dateRuleValidationError = "003"
}

extension PluggyAPIError {
    /// 404: no item with this id.
    public static func itemNotFound(_ id: String) -> Self {
        PluggyAPIError(code: 404, codeDescription: "ITEM_NOT_FOUND", message: "Item \(id) was not found.")
    }

    /// 409: an execution of this item is still running.
    public static let itemAlreadyUpdating = PluggyAPIError(
        code: 409, codeDescription: "ITEM_ALREADY_UPDATING",
        message: "An update is already in progress, wait until the last execution ends.")

    /// 400: parameters failed validation, one detail each.
    public static func parameterValidation(_ details: [ParameterValidationError]) -> Self {
        PluggyAPIError(code: 400, codeDescription: "PARAMETER_VALIDATION_ERROR",
                       message: "Some parameters are invalid.", details: details)
    }

    /// 400: the item is not waiting for an MFA value (nothing to answer, or already answered).
    public static let itemNotWaitingUserInput = PluggyAPIError(
        code: 400, codeDescription: "ITEM_NOT_WAITING_USER_INPUT",
        message: "The item is not waiting for an MFA parameter (it was already sent, or none was asked for).")

    /// 400: the item is not waiting for the user to authorize access.
    public static let itemNotWaitingUserAction = PluggyAPIError(
        code: 400, codeDescription: "ITEM_NOT_WAITING_USER_ACTION",
        message: "The item is not waiting for an authorization on the user's device or at the bank.")
}
