import AdminClient

/// Claude Code usage records: a pure function of (seed, day, index, revision).
///
/// Like the API, remote and local usage of one actor, terminal and day are separate records: every
/// ``twinPeriod``-th record is the other half (`is_remote` flipped) of the record before it. Both share a
/// slot; slot `s` of a day belongs to actor `(s + shift) % A` on terminal `(s / A + actor) % T`, a
/// one-to-one mapping while `s < A × T` (the dataset sizes `A` for that), so keys that include `is_remote`
/// stay unique per day while the seed's four-field key (without it) collides once per period.
struct ClaudeCodeGenerator: Sendable {
    /// Every fifth record of a day is the remote (or local) twin of the one before it.
    static let twinPeriod = 5

    /// `true` when record `index` shares its actor, terminal and day with record `index - 1`.
    static func isTwin(_ index: Int) -> Bool { index % twinPeriod == twinPeriod - 1 }

    /// The slot (actor and terminal) of record `index`: twins share their predecessor's.
    static func slot(of index: Int) -> Int {
        let base = isTwin(index) ? index - 1 : index
        return base - base / twinPeriod
    }

    let dataset: SandboxDataset

    /// Number of records the day has.
    func recordCount(on day: CalendarDay) -> Int {
        dataset.configuration.hasData(on: day) ? max(0, dataset.configuration.claudeCodeRowsPerDay) : 0
    }

    /// The record at `index` of `day` at `revision`.
    func record(day: CalendarDay, index: Int, revision: Int) -> ClaudeCodeRecord {
        let seed = dataset.configuration.seed
        let actors = dataset.claudeCodeActors
        let terminals = SandboxVocabulary.terminalTypes
        let dayPart = SandboxRandom.part(day.daysSinceEpoch)

        var dayRandom = SandboxRandom(seed, SandboxStream.claudeCodeDay.rawValue, dayPart)
        let shift = Int(dayRandom.next() % UInt64(actors.count))
        // Some days only some tools were used at all.
        let toolMask = dayRandom.next() | 1

        let slot = Self.slot(of: index)
        let actorIndex = (slot + shift) % actors.count
        let actor = actors[actorIndex]
        let terminal = terminals[(slot / actors.count + actorIndex) % terminals.count]
        // Most usage is local; a twin is the other half of its slot's usage.
        let slotIsRemote = slot % 7 == 3
        let isRemote = Self.isTwin(index) ? !slotIsRemote : slotIsRemote

        var identity = SandboxRandom(seed, SandboxStream.claudeCodeIdentity.rawValue, dayPart, UInt64(index))
        var values = SandboxRandom(
            seed, SandboxStream.claudeCodeValues.rawValue, dayPart, UInt64(index), UInt64(revision))

        let numSessions = values.int(in: 1...14)
        let added = values.int(in: 0...2_400)
        let removed = values.int(in: 0...(added / 2))
        let commits = values.int(in: 0...9)
        let pullRequests = values.int(in: 0...3)

        var tools: [ClaudeCodeRecord.Tool] = []
        for (toolIndex, tool) in SandboxVocabulary.claudeCodeTools.enumerated()
        where toolMask & (1 << UInt64(toolIndex)) != 0 && (toolIndex == 0 || identity.chance(percent: 70)) {
            let accepted = values.int(in: 0...60)
            tools.append(.init(name: tool, accepted: accepted, rejected: values.int(in: 0...(accepted / 4 + 1))))
        }

        let models = SandboxVocabulary.models
        let modelCount = identity.int(in: 1...3)
        let firstModel = identity.int(in: 0...(models.count - 1))
        var usages: [ClaudeCodeRecord.ModelUsage] = []
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
            usages.append(.init(
                model: model.id, input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation,
                costCents: cost))
        }
        return ClaudeCodeRecord(
            date: day.midnightTimestamp, actor: actor, organizationID: dataset.configuration.organizationID,
            terminalType: terminal, isRemote: isRemote, numSessions: numSessions, linesAdded: added, linesRemoved: removed,
            commits: commits, pullRequests: pullRequests, tools: tools, models: usages)
    }
}
