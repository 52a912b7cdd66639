import AdminClient

/// `usage_report/messages` results of one daily bucket: a pure function of (seed, day, index, revision).
///
/// Base results are distinct combinations of (api_key_id, workspace_id, model, service_tier); the
/// context window, inference geo, account, service account and speed are functions of the combination, so
/// grouping by any superset of those four keeps exactly ``SandboxConfiguration/usageResultsPerBucket``
/// results, and grouping by fewer sums them.
struct UsageReportGenerator: Sendable {
    /// The dimensions `group_by[]` accepts, in result order.
    static let dimensions = [
        "api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo", "account_id",
        "service_account_id", "speed",
    ]

    let dataset: SandboxDataset

    /// The results of `day` at `revision`, grouped by `groupBy` (validated names from ``dimensions``).
    func results(day: CalendarDay, revision: Int, groupBy: Set<String>) -> [JSONObject] {
        let grouped = Self.dimensions.map { groupBy.contains($0) }
        return ReportRow.aggregate(baseRows(day: day, revision: revision), grouped: grouped).map(Self.json)
    }

    private func baseRows(day: CalendarDay, revision: Int) -> [ReportRow] {
        let configuration = dataset.configuration
        guard configuration.hasData(on: day) else { return [] }
        let keys: [String?] = [nil] + dataset.apiKeyIDs
        let workspaces: [String?] = [nil] + dataset.activeWorkspaceIDs
        let models = SandboxVocabulary.models
        let tiers = SandboxVocabulary.serviceTiers
        let space = keys.count * workspaces.count * models.count * tiers.count
        let count = min(max(0, configuration.usageResultsPerBucket), space)
        let dayPart = SandboxRandom.part(day.daysSinceEpoch)
        var dayRandom = SandboxRandom(configuration.seed, SandboxStream.usageDay.rawValue, dayPart)
        let shift = Int(dayRandom.next() % UInt64(space))
        let stride = ReportRow.stride(for: space)

        var rows: [ReportRow] = []
        rows.reserveCapacity(count)
        for index in 0..<count {
            var combination = (index * stride + shift) % space
            let tier = tiers[combination % tiers.count]
            combination /= tiers.count
            let modelIndex = combination % models.count
            combination /= models.count
            let workspace = workspaces[combination % workspaces.count]
            let key = keys[combination / workspaces.count]
            var comboRandom = SandboxRandom(
                configuration.seed, SandboxStream.usageDay.rawValue, UInt64((index * stride + shift) % space))
            let contextWindow = modelIndex != 2 && comboRandom.chance(percent: 25) ? "200k-1M" : "0-200k"
            let inferenceGeo: String? = comboRandom.chance(percent: 10) ? nil : comboRandom.chance(percent: 30) ? "us" : "global"
            // Usage through a key is a service account's or a user's; Console usage (no key) a user's.
            let isServiceAccount = key != nil && comboRandom.chance(percent: 30)
            let accountID: String? =
                isServiceAccount || dataset.userIDs.isEmpty
                ? nil : dataset.userIDs[Int(comboRandom.next() % UInt64(dataset.userIDs.count))]
            let serviceAccountID: String? = isServiceAccount ? "svcacct_01" + comboRandom.base58(count: 22) : nil
            let speed = comboRandom.chance(percent: 15) ? "fast" : "standard"

            var values = SandboxRandom(
                configuration.seed, SandboxStream.usageValues.rawValue, dayPart, UInt64(index), UInt64(revision))
            let metrics = [
                values.int(in: 1_000...2_000_000),  // uncached_input_tokens
                values.int(in: 0...5_000_000),  // cache_read_input_tokens
                values.chance(percent: 30) ? values.int(in: 0...200_000) : 0,  // ephemeral_1h
                values.int(in: 0...400_000),  // ephemeral_5m
                values.int(in: 500...600_000),  // output_tokens
                values.chance(percent: 25) ? values.int(in: 1...40) : 0,  // web_search_requests
            ]
            rows.append(ReportRow(
                dimensions: [
                    key, workspace, models[modelIndex].id, tier, contextWindow, inferenceGeo, accountID, serviceAccountID,
                    speed,
                ], metrics: metrics))
        }
        return rows
    }

    private static func json(_ row: ReportRow) -> JSONObject {
        var object = JSONObject()
        for (name, value) in zip(dimensions, row.dimensions) { object.appendUnchecked(name, .stringOrNull(value)) }
        object.appendUnchecked("uncached_input_tokens", .int(row.metrics[0]))
        object.appendUnchecked("cache_read_input_tokens", .int(row.metrics[1]))
        object.appendUnchecked(
            "cache_creation",
            .object(JSONObject(distinct: [
                "ephemeral_1h_input_tokens": .int(row.metrics[2]),
                "ephemeral_5m_input_tokens": .int(row.metrics[3]),
            ])))
        object.appendUnchecked("output_tokens", .int(row.metrics[4]))
        object.appendUnchecked(
            "server_tool_use", .object(JSONObject(distinct: ["web_search_requests": .int(row.metrics[5])])))
        return object
    }
}
