import Pluggy

/// Refuses members a catalogue file does not define: a misspelt key (`hasMfa`, `lastUpdateAt`,
/// `store`) would otherwise be ignored silently and the scenario would behave differently than written.
enum CatalogueKeys {
    static let top: Set<String> = ["connectors", "scenarios"]
    static let connectorEntry: Set<String> = ["connector", "sandbox"]
    static let sandbox: Set<String> = ["mfa", "authorization"]
    static let mfa: Set<String> = ["steps", "expiresInSeconds"]
    static let authorization: Set<String> = ["kind", "firstTimeOnly", "instructions", "consentUrl", "expiresInSeconds"]
    static let scenario: Set<String> = ["name", "description", "instructions", "connectorId", "item", "stored"]
    static let stored: Set<String> = ["parameters", "lastMFAValue", "authorizationGranted", "passwordChangedAtBank"]
    static let health: Set<String> = ["status", "stage", "details"]

    /// The first unknown member in `document`, as an error naming its place.
    static func check(_ document: JSONValue, source: String) throws(CatalogueError) {
        guard case .object(let root) = document else { return }
        try only(root, top, at: "$", source: source)
        if case .array(let entries)? = root["connectors"] {
            for (i, entry) in entries.enumerated() {
                let place = "$.connectors[\(i)]"
                guard case .object(let members) = entry else { continue }
                try only(members, connectorEntry, at: place, source: source)
                if case .object(let connector)? = members["connector"] {
                    try only(connector, Connector.knownKeys, at: place + ".connector", source: source)
                    if case .object(let health)? = connector["health"] {
                        try only(health, CatalogueKeys.health, at: place + ".connector.health", source: source)
                    }
                    try credentials(connector["credentials"], at: place + ".connector.credentials", source: source)
                }
                if case .object(let behavior)? = members["sandbox"] {
                    try only(behavior, sandbox, at: place + ".sandbox", source: source)
                    if case .object(let m)? = behavior["mfa"] {
                        try only(m, mfa, at: place + ".sandbox.mfa", source: source)
                        try credentials(m["steps"], at: place + ".sandbox.mfa.steps", source: source)
                    }
                    if case .object(let a)? = behavior["authorization"] {
                        try only(a, authorization, at: place + ".sandbox.authorization", source: source)
                    }
                }
            }
        }
        if case .array(let entries)? = root["scenarios"] {
            for (i, entry) in entries.enumerated() {
                let place = "$.scenarios[\(i)]"
                guard case .object(let members) = entry else { continue }
                try only(members, scenario, at: place, source: source)
                if case .object(let item)? = members["item"] {
                    try only(item, Item.knownKeys, at: place + ".item", source: source)
                }
                if case .object(let s)? = members["stored"] {
                    try only(s, stored, at: place + ".stored", source: source)
                }
            }
        }
    }

    private static func credentials(_ value: JSONValue?, at place: String, source: String) throws(CatalogueError) {
        guard case .array(let list)? = value else { return }
        for (i, credential) in list.enumerated() {
            guard case .object(let members) = credential else { continue }
            try only(members, ConnectorCredential.knownKeys, at: "\(place)[\(i)]", source: source)
        }
    }

    private static func only(_ members: [String: JSONValue], _ known: Set<String>, at place: String, source: String) throws(CatalogueError) {
        for key in members.keys.sorted() where !known.contains(key) {
            var problem = "unknown member '\(key)'"
            if let guess = known.min(by: { distance($0, key) < distance($1, key) }), distance(guess, key) <= 3 {
                problem += " (did you mean '\(guess)'?)"
            } else {
                problem += " (expected one of: \(known.sorted().joined(separator: ", ")))"
            }
            throw CatalogueError(source: source, path: place + "." + key, problem: problem)
        }
    }

    /// Case-insensitive edit distance, for suggestions.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
