import AdminClient

/// One Claude Code usage record's values, rendered either as a ``JSONObject`` (for ``SandboxAdminAPI/servedItems(_:)``)
/// or straight to bytes (for serving pages of up to 1,000 records fast). Both renderings have the same
/// members in the same order.
struct ClaudeCodeRecord: Sendable {
    struct Tool: Sendable {
        let name: String
        let accepted: Int
        let rejected: Int
    }

    struct ModelUsage: Sendable {
        let model: String
        let input: Int
        let output: Int
        let cacheRead: Int
        let cacheCreation: Int
        let costCents: Int
    }

    let date: String
    let actor: ClaudeCodeActor
    let organizationID: String
    let terminalType: String
    let isRemote: Bool
    let numSessions: Int
    let linesAdded: Int
    let linesRemoved: Int
    let commits: Int
    let pullRequests: Int
    let tools: [Tool]
    let models: [ModelUsage]

    /// The record as the API's JSON object.
    var jsonObject: JSONObject {
        var record = JSONObject()
        record.appendUnchecked("date", .string(date))
        record.appendUnchecked(
            "actor",
            .object(
                actor.isUser
                    ? JSONObject(distinct: ["type": "user_actor", "email_address": .string(actor.identity)])
                    : JSONObject(distinct: ["type": "api_actor", "api_key_name": .string(actor.identity)])))
        record.appendUnchecked("organization_id", .string(organizationID))
        record.appendUnchecked("customer_type", .string(actor.customerType))
        record.appendUnchecked("terminal_type", .string(terminalType))
        record.appendUnchecked("is_remote", .bool(isRemote))
        record.appendUnchecked(
            "core_metrics",
            .object(JSONObject(distinct: [
                "num_sessions": .int(numSessions),
                "lines_of_code": .object(JSONObject(distinct: ["added": .int(linesAdded), "removed": .int(linesRemoved)])),
                "commits_by_claude_code": .int(commits),
                "pull_requests_by_claude_code": .int(pullRequests),
            ])))
        var toolActions = JSONObject()
        for tool in tools {
            toolActions.appendUnchecked(
                tool.name, .object(JSONObject(distinct: ["accepted": .int(tool.accepted), "rejected": .int(tool.rejected)])))
        }
        record.appendUnchecked("tool_actions", .object(toolActions))
        record.appendUnchecked(
            "model_breakdown",
            .array(
                models.map { usage in
                    .object(JSONObject(distinct: [
                        "model": .string(usage.model),
                        "tokens": .object(JSONObject(distinct: [
                            "input": .int(usage.input), "output": .int(usage.output),
                            "cache_read": .int(usage.cacheRead), "cache_creation": .int(usage.cacheCreation),
                        ])),
                        "estimated_cost": .object(JSONObject(distinct: ["currency": "USD", "amount": .int(usage.costCents)])),
                    ]))
                }))
        if actor.hasSubscriptionField {
            record.appendUnchecked("subscription_type", .stringOrNull(actor.subscriptionType))
        }
        return record
    }

    /// Appends the record's compact JSON to `out`: the same bytes as `JSONWriter.encode(.object(jsonObject))`.
    func write(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"date":"#.utf8)
        JSONWriter.writeString(date, into: &out)
        if actor.isUser {
            out.append(contentsOf: #","actor":{"type":"user_actor","email_address":"#.utf8)
        } else {
            out.append(contentsOf: #","actor":{"type":"api_actor","api_key_name":"#.utf8)
        }
        JSONWriter.writeString(actor.identity, into: &out)
        out.append(contentsOf: #"},"organization_id":"#.utf8)
        JSONWriter.writeString(organizationID, into: &out)
        out.append(contentsOf: #","customer_type":"#.utf8)
        JSONWriter.writeString(actor.customerType, into: &out)
        out.append(contentsOf: #","terminal_type":"#.utf8)
        JSONWriter.writeString(terminalType, into: &out)
        out.append(contentsOf: (isRemote ? #","is_remote":true"# : #","is_remote":false"#).utf8)
        out.append(contentsOf: #","core_metrics":{"num_sessions":"#.utf8)
        Self.writeInt(numSessions, into: &out)
        out.append(contentsOf: #","lines_of_code":{"added":"#.utf8)
        Self.writeInt(linesAdded, into: &out)
        out.append(contentsOf: #","removed":"#.utf8)
        Self.writeInt(linesRemoved, into: &out)
        out.append(contentsOf: #"},"commits_by_claude_code":"#.utf8)
        Self.writeInt(commits, into: &out)
        out.append(contentsOf: #","pull_requests_by_claude_code":"#.utf8)
        Self.writeInt(pullRequests, into: &out)
        out.append(contentsOf: #"},"tool_actions":{"#.utf8)
        for (index, tool) in tools.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(tool.name, into: &out)
            out.append(contentsOf: #":{"accepted":"#.utf8)
            Self.writeInt(tool.accepted, into: &out)
            out.append(contentsOf: #","rejected":"#.utf8)
            Self.writeInt(tool.rejected, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"},"model_breakdown":["#.utf8)
        for (index, usage) in models.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"model":"#.utf8)
            JSONWriter.writeString(usage.model, into: &out)
            out.append(contentsOf: #","tokens":{"input":"#.utf8)
            Self.writeInt(usage.input, into: &out)
            out.append(contentsOf: #","output":"#.utf8)
            Self.writeInt(usage.output, into: &out)
            out.append(contentsOf: #","cache_read":"#.utf8)
            Self.writeInt(usage.cacheRead, into: &out)
            out.append(contentsOf: #","cache_creation":"#.utf8)
            Self.writeInt(usage.cacheCreation, into: &out)
            out.append(contentsOf: #"},"estimated_cost":{"currency":"USD","amount":"#.utf8)
            Self.writeInt(usage.costCents, into: &out)
            out.append(contentsOf: "}}".utf8)
        }
        out.append(UInt8(ascii: "]"))
        if actor.hasSubscriptionField {
            out.append(contentsOf: #","subscription_type":"#.utf8)
            if let subscription = actor.subscriptionType {
                JSONWriter.writeString(subscription, into: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends the decimal digits of a non-negative (or negative) integer without making a `String`.
    static func writeInt(_ value: Int, into out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            out.append(contentsOf: String(value.magnitude).utf8)
            return
        }
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}
