import AdminClient

/// Claude Code usage records: a pure function of (seed, day, index, revision).
///
/// Keys stay unique per day: record `i` of a day belongs to actor `(i + shift) % A` on terminal
/// `(i / A + actor) % T`, a one-to-one mapping while `i < A × T` (the dataset sizes `A` for that).
struct ClaudeCodeGenerator: Sendable {
    let dataset: SandboxDataset

    /// Number of records the day has.
    func recordCount(on day: CalendarDay) -> Int {
        dataset.configuration.hasData(on: day) ? max(0, dataset.configuration.claudeCodeRowsPerDay) : 0
    }

    /// The record at `index` of `day` at `revision`.
    func record(day: CalendarDay, index: Int, revision: Int) -> JSONObject {
        let seed = dataset.configuration.seed
        let actors = dataset.claudeCodeActors
        let terminals = SandboxVocabulary.terminalTypes
        let dayPart = SandboxRandom.part(day.daysSinceEpoch)

        var dayRandom = SandboxRandom(seed, SandboxStream.claudeCodeDay.rawValue, dayPart)
        let shift = Int(dayRandom.next() % UInt64(actors.count))
        // Some days only some tools were used at all.
        let toolMask = dayRandom.next() | 1

        let actorIndex = (index + shift) % actors.count
        let actor = actors[actorIndex]
        let terminal = terminals[(index / actors.count + actorIndex) % terminals.count]

        var identity = SandboxRandom(seed, SandboxStream.claudeCodeIdentity.rawValue, dayPart, UInt64(index))
        var values = SandboxRandom(
            seed, SandboxStream.claudeCodeValues.rawValue, dayPart, UInt64(index), UInt64(revision))

        var record = JSONObject()
        record.appendUnchecked("date", .string(day.midnightTimestamp))
        record.appendUnchecked(
            "actor",
            .object(
                actor.isUser
                    ? JSONObject(distinct: ["type": "user_actor", "email_address": .string(actor.identity)])
                    : JSONObject(distinct: ["type": "api_actor", "api_key_name": .string(actor.identity)])))
        record.appendUnchecked("organization_id", .string(dataset.configuration.organizationID))
        record.appendUnchecked("customer_type", .string(actor.customerType))
        record.appendUnchecked("terminal_type", .string(terminal))

        let added = values.int(in: 0...2_400)
        record.appendUnchecked(
            "core_metrics",
            .object(JSONObject(distinct: [
                "num_sessions": .int(values.int(in: 1...14)),
                "lines_of_code": .object(JSONObject(distinct: [
                    "added": .int(added), "removed": .int(values.int(in: 0...(added / 2))),
                ])),
                "commits_by_claude_code": .int(values.int(in: 0...9)),
                "pull_requests_by_claude_code": .int(values.int(in: 0...3)),
            ])))

        var tools = JSONObject()
        for (toolIndex, tool) in SandboxVocabulary.claudeCodeTools.enumerated()
        where toolMask & (1 << UInt64(toolIndex)) != 0 && (toolIndex == 0 || identity.chance(percent: 70)) {
            let accepted = values.int(in: 0...60)
            tools.appendUnchecked(
                tool,
                .object(JSONObject(distinct: [
                    "accepted": .int(accepted), "rejected": .int(values.int(in: 0...(accepted / 4 + 1))),
                ])))
        }
        record.appendUnchecked("tool_actions", .object(tools))

        let models = SandboxVocabulary.models
        let modelCount = identity.int(in: 1...3)
        let firstModel = identity.int(in: 0...(models.count - 1))
        var breakdown: [JSONValue] = []
        for offset in 0..<modelCount {
            let model = models[(firstModel + offset) % models.count]
            let input = values.int(in: 2_000...400_000)
            let output = values.int(in: 500...90_000)
            let cacheRead = values.int(in: 0...600_000)
            let cacheCreation = values.int(in: 0...80_000)
            let cost =
                (input * model.inputCentsPerMillion + output * model.outputCentsPerMillion
                    + cacheRead * model.inputCentsPerMillion / 10 + cacheCreation * model.inputCentsPerMillion * 5 / 4)
                / 1_000_000
            breakdown.append(
                .object(JSONObject(distinct: [
                    "model": .string(model.id),
                    "tokens": .object(JSONObject(distinct: [
                        "input": .int(input), "output": .int(output), "cache_read": .int(cacheRead),
                        "cache_creation": .int(cacheCreation),
                    ])),
                    "estimated_cost": .object(JSONObject(distinct: ["currency": "USD", "amount": .int(cost)])),
                ])))
        }
        record.appendUnchecked("model_breakdown", .array(breakdown))
        if actor.hasSubscriptionField {
            record.appendUnchecked("subscription_type", .stringOrNull(actor.subscriptionType))
        }
        return record
    }
}
