/// Any JSON value. Used for the fields of Pluggy objects this model does not know (kept so that
/// they re-encode unchanged), for free-form `attributes`, and for reading scenario files.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        // Each kind that does not match costs a thrown DecodingError: try them in the order Pluggy's JSON
        // has them most (strings, then objects, numbers, booleans, arrays).
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9.0e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The string, when this value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members, when this value is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

/// A coding key made from any string: lets Pluggy objects keep the keys they do not model.
public struct AnyCodingKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
    public init(stringLiteral value: String) { stringValue = value }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// Members whose keys are not in `known`, kept verbatim.
    func unknownMembers(known: Set<String>) throws -> [String: JSONValue] {
        var extra: [String: JSONValue] = [:]
        for key in allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try decode(JSONValue.self, forKey: key)
        }
        return extra
    }

    /// Keys present in the JSON with an explicit `null`.
    func nullKeys(among keys: [String]) -> Set<String> {
        var result: Set<String> = []
        for name in keys {
            let key = AnyCodingKey(name)
            if contains(key), (try? decodeNil(forKey: key)) == true { result.insert(name) }
        }
        return result
    }
}

extension KeyedEncodingContainer where Key == AnyCodingKey {
    mutating func encodeMembers(_ members: [String: JSONValue]) throws {
        for (name, value) in members { try encode(value, forKey: AnyCodingKey(name)) }
    }

    /// Encodes `value`, or an explicit null when it is nil and `null` says so.
    mutating func encode<T: Encodable>(_ value: T?, forKey key: Key, nullWhenNil: Bool) throws {
        if let value {
            try encode(value, forKey: key)
        } else if nullWhenNil {
            try encodeNil(forKey: key)
        }
    }
}
