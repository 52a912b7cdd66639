import AdminClient

/// `cost_report` results of one daily bucket: a pure function of (seed, day, index, revision).
///
/// Base results are distinct (workspace_id, description) combinations; a description fixes cost_type,
/// model, service_tier, token_type and context_window, which are `null` unless grouped by description.
struct CostReportGenerator: Sendable {
    /// The dimensions `group_by[]` accepts, in result order.
    static let dimensions = ["workspace_id", "description"]

    /// What a description stands for.
    struct Description: Sendable {
        let text: String
        let costType: String
        let model: String?
        let serviceTier: String?
        let tokenType: String?
        let contextWindow: String?
    }

    static let descriptions: [Description] = {
        var list: [Description] = []
        for model in SandboxVocabulary.models {
            for token in SandboxVocabulary.tokenTypes {
                list.append(Description(
                    text: "\(model.displayName) Usage - \(token.label)", costType: "tokens", model: model.id,
                    serviceTier: "standard", tokenType: token.type, contextWindow: "0-200k"))
            }
        }
        list.append(Description(
            text: "Web Search Usage", costType: "web_search", model: nil, serviceTier: nil, tokenType: nil,
            contextWindow: nil))
        list.append(Description(
            text: "Code Execution Usage", costType: "code_execution", model: nil, serviceTier: nil, tokenType: nil,
            contextWindow: nil))
        return list
    }()

    private static let byText: [String: Description] = Dictionary(
        uniqueKeysWithValues: descriptions.map { ($0.text, $0) })

    let dataset: SandboxDataset

    /// The results of `day` at `revision`, grouped by `groupBy` (validated names from ``dimensions``).
    func results(day: CalendarDay, revision: Int, groupBy: Set<String>) -> [JSONObject] {
        let grouped = Self.dimensions.map { groupBy.contains($0) }
        return ReportRow.aggregate(baseRows(day: day, revision: revision), grouped: grouped).map(Self.json)
    }

    private func baseRows(day: CalendarDay, revision: Int) -> [ReportRow] {
        let configuration = dataset.configuration
        guard configuration.hasData(on: day) else { return [] }
        let workspaces: [String?] = [nil] + dataset.activeWorkspaceIDs
        let descriptions = Self.descriptions
        let space = workspaces.count * descriptions.count
        let count = min(max(0, configuration.costResultsPerBucket), space)
        let dayPart = SandboxRandom.part(day.daysSinceEpoch)
        var dayRandom = SandboxRandom(configuration.seed, SandboxStream.costDay.rawValue, dayPart)
        let shift = Int(dayRandom.next() % UInt64(space))
        let stride = ReportRow.stride(for: space)

        var rows: [ReportRow] = []
        rows.reserveCapacity(count)
        for index in 0..<count {
            let combination = (index * stride + shift) % space
            let description = descriptions[combination % descriptions.count]
            let workspace = workspaces[combination / descriptions.count]
            var values = SandboxRandom(
                configuration.seed, SandboxStream.costValues.rawValue, dayPart, UInt64(index), UInt64(revision))
            // Ten-thousandths of a cent: "1834.5012" cents is 18_345_012.
            let amount = values.int(in: 1_000...40_000_000)
            rows.append(ReportRow(dimensions: [workspace, description.text], metrics: [amount]))
        }
        return rows
    }

    private static func json(_ row: ReportRow) -> JSONObject {
        let description = row.dimensions[1].flatMap { byText[$0] }
        var object = JSONObject()
        object.appendUnchecked("currency", "USD")
        object.appendUnchecked("amount", .string(formatCents(tenThousandths: row.metrics[0])))
        object.appendUnchecked("workspace_id", .stringOrNull(row.dimensions[0]))
        object.appendUnchecked("description", .stringOrNull(row.dimensions[1]))
        object.appendUnchecked("cost_type", .stringOrNull(description?.costType))
        object.appendUnchecked("context_window", .stringOrNull(description?.contextWindow))
        object.appendUnchecked("model", .stringOrNull(description?.model))
        object.appendUnchecked("service_tier", .stringOrNull(description?.serviceTier))
        object.appendUnchecked("token_type", .stringOrNull(description?.tokenType))
        return object
    }

    /// `18_345_012` → `"1834.5012"`, `18_340_000` → `"1834"`: cents with up to four decimals.
    static func formatCents(tenThousandths value: Int) -> String {
        let whole = String(value / 10_000)
        var fraction = SandboxTimestamp.pad(value % 10_000, 4)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? whole : whole + "." + fraction
    }
}
