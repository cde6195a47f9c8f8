import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Pluggy
import PluggySandbox

/// `connect-tui scenarios`: the catalogue, with what to type for each scenario.
struct Scenarios: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "List the sandbox scenarios: each item, its institution, its status and what to type.")

    @OptionGroup var catalogueOptions: CatalogueOptions

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        try await Self.reportingFailures {
            let catalogue = try await catalogueOptions.catalogueNow()
            if json {
                print(try PluggyJSON.string(ScenarioList(catalogue: catalogue), pretty: true))
            } else {
                print(ScenarioTable.render(catalogue.scenarios), terminator: "")
            }
        }
    }
}

/// The JSON form of the list: `{"scenarios":[{name, description, instructions, itemId, connector, status, …}]}`.
struct ScenarioList: Encodable {
    struct Entry: Encodable {
        var name: String
        var description: String
        var instructions: String
        var itemId: String
        var connector: ConnectorSummary
        var status: ItemStatus
        var executionStatus: ExecutionStatus
        var updateStartsWith: String
    }
    struct ConnectorSummary: Encodable {
        var id: Int
        var name: String
        var type: ConnectorType
        var primaryColor: String?
    }
    var scenarios: [Entry]

    init(catalogue: Catalogue) {
        scenarios = catalogue.scenarios.map { scenario in
            let item = scenario.item
            return Entry(
                name: scenario.name, description: scenario.description, instructions: scenario.instructions,
                itemId: item.id,
                connector: ConnectorSummary(id: item.connector.id, name: item.connector.name, type: item.connector.type,
                                            primaryColor: item.connector.primaryColor),
                status: item.status, executionStatus: item.executionStatus,
                updateStartsWith: item.updateModeAsksForParameters ? "form" : "automatic")
        }
    }
}

/// The catalogue as an aligned table, each scenario followed by what to type.
enum ScenarioTable {
    static func render(_ scenarios: [Scenario]) -> String {
        let headers = ["SCENARIO", "INSTITUTION", "STATUS / EXECUTION", "ITEM ID"]
        let rows = scenarios.map { scenario in
            [scenario.name, scenario.item.connector.name,
             "\(scenario.item.status) / \(scenario.item.executionStatus)", scenario.item.id]
        }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        var text = line(headers) + "\n"
        for (scenario, row) in zip(scenarios, rows) {
            text += line(row) + "\n"
            text += "    " + scenario.instructions + "\n"
        }
        return text
    }
}
