import AdminClient

/// The organization's entities (users, workspaces, API keys, invites, members, Claude Code actors), built
/// once from the configuration. Small by nature; report rows are never held here but generated per day.
struct SandboxDataset: Sendable {
    let configuration: SandboxConfiguration
    let organization: JSONObject
    let users: [JSONObject]
    /// The organization's default workspace: listed only with `include_default=true`; usage and cost rows and
    /// the deprecated `workspace_id` of its API keys name it `null`, `scope.workspace_id` by its id.
    let defaultWorkspace: JSONObject
    let defaultWorkspaceID: String
    /// The custom workspaces: active ones first, then the archived one.
    let workspaces: [JSONObject]
    let workspaceIDs: [String]
    let activeWorkspaceIDs: [String]
    let apiKeys: [JSONObject]
    let apiKeyIDs: [String]
    let invites: [JSONObject]
    /// The users' ids, in user order.
    let userIDs: [String]
    /// Members per workspace id, in user order.
    let members: [String: [JSONObject]]
    let claudeCodeActors: [ClaudeCodeActor]
    /// The organization's rate-limit entries (`/v1/organizations/rate_limits`).
    let rateLimits: [JSONObject]
    /// Each custom workspace's rate-limit overrides (`/v1/organizations/workspaces/{id}/rate_limits`).
    let workspaceRateLimits: [String: [JSONObject]]

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        let seed = configuration.seed
        let userCount = max(0, configuration.users)
        let epochBase = (configuration.historyStart.daysSinceEpoch - 400) * 86_400 * 1_000_000

        organization = JSONObject(distinct: [
            "id": .string(configuration.organizationID),
            "type": "organization",
            "name": .string(configuration.organizationName),
        ])

        var users: [JSONObject] = []
        var userIDs: [String] = []
        var userEmails: [String] = []
        for index in 0..<userCount {
            var random = SandboxRandom(seed, SandboxStream.user.rawValue, UInt64(index))
            let id = "user_01" + random.base58(count: 22)
            let person = Self.person(index: index, seed: seed, domain: "example.com")
            let role = index == 0 ? "admin" : random.pick(SandboxVocabulary.organizationRoles)
            let addedAt = epochBase + random.int(in: 0...(300 * 86_400)) * 1_000_000 + random.int(in: 0...999_999)
            users.append(JSONObject(distinct: [
                "type": "user",
                "id": .string(id),
                "email": .string(person.email),
                "name": .string(person.name),
                "role": .string(role),
                "added_at": .string(SandboxTimestamp.format(microseconds: addedAt)),
            ]))
            userIDs.append(id)
            userEmails.append(person.email)
        }
        self.users = users
        self.userIDs = userIDs

        var defaultRandom = SandboxRandom(seed, SandboxStream.defaultWorkspace.rawValue)
        let defaultWorkspaceID = "wrkspc_01" + defaultRandom.base58(count: 22)
        defaultWorkspace = JSONObject(distinct: [
            "id": .string(defaultWorkspaceID),
            "type": "workspace",
            "name": "Default",
            "created_at": .string(SandboxTimestamp.format(microseconds: epochBase)),
            "archived_at": .null,
            "display_color": .string(defaultRandom.pick(SandboxVocabulary.displayColors)),
        ])
        self.defaultWorkspaceID = defaultWorkspaceID

        var workspaces: [JSONObject] = []
        var workspaceIDs: [String] = []
        let activeCount = max(0, configuration.workspaces)
        for index in 0...activeCount {
            let isArchived = index == activeCount
            var random = SandboxRandom(seed, SandboxStream.workspace.rawValue, UInt64(index))
            let id = "wrkspc_01" + random.base58(count: 22)
            let names = SandboxVocabulary.workspaceNames
            let name =
                isArchived
                ? "Legacy Experiments"
                : names[index % names.count] + (index >= names.count ? " \(index / names.count + 1)" : "")
            let createdAt = epochBase + random.int(in: 0...(200 * 86_400)) * 1_000_000 + random.int(in: 0...999_999)
            let archivedAt = createdAt + random.int(in: 30...90) * 86_400 * 1_000_000
            workspaces.append(JSONObject(distinct: [
                "id": .string(id),
                "type": "workspace",
                "name": .string(name),
                "created_at": .string(SandboxTimestamp.format(microseconds: createdAt)),
                "archived_at": isArchived ? .string(SandboxTimestamp.format(microseconds: archivedAt)) : .null,
                "display_color": .string(random.pick(SandboxVocabulary.displayColors)),
            ]))
            workspaceIDs.append(id)
        }
        self.workspaces = workspaces
        self.workspaceIDs = workspaceIDs
        self.activeWorkspaceIDs = Array(workspaceIDs.prefix(activeCount))

        var apiKeys: [JSONObject] = []
        var apiKeyIDs: [String] = []
        var apiKeyNames: [String] = []
        for index in 0..<max(0, configuration.apiKeys) {
            var random = SandboxRandom(seed, SandboxStream.apiKey.rawValue, UInt64(index))
            let id = "apikey_01" + random.base58(count: 22)
            let purposes = SandboxVocabulary.apiKeyPurposes
            let name = purposes[index % purposes.count] + " \(index + 1)"
            let workspaceID: String? =
                index % 3 == 0 || activeWorkspaceIDs.isEmpty ? nil : random.pick(activeWorkspaceIDs)
            let createdBy: JSONValue
            if index % 5 == 4 {
                createdBy = .object(JSONObject(distinct: [
                    "id": .string("svcacct_01" + random.base58(count: 22)), "type": "service_account",
                ]))
            } else if userIDs.isEmpty {
                createdBy = .null
            } else {
                createdBy = .object(JSONObject(distinct: ["id": .string(random.pick(userIDs)), "type": "user"]))
            }
            let status =
                index % 6 == 5 ? "expired" : index % 4 == 3 ? (index % 8 == 7 ? "archived" : "inactive") : "active"
            let createdAt = epochBase + random.int(in: 0...(380 * 86_400)) * 1_000_000 + random.int(in: 0...999_999)
            // Every sixth key (from the third) is bound to a user and has no workspace: organization scope.
            let isOrganizationScoped = index % 6 == 2 && !userIDs.isEmpty
            let scope: JSONValue =
                isOrganizationScoped
                ? .object(JSONObject(distinct: ["type": "organization"]))
                : .object(JSONObject(distinct: [
                    "type": "workspace", "workspace_id": .string(workspaceID ?? defaultWorkspaceID),
                ]))
            let principal: JSONValue =
                isOrganizationScoped
                ? .object(JSONObject(distinct: ["type": "user_actor", "user_id": .string(userIDs[index % userIDs.count])]))
                : .null
            let expiresAt: JSONValue =
                index % 2 == 1 || status == "expired"
                ? .string(SandboxTimestamp.format(microseconds: createdAt + 90 * 86_400 * 1_000_000)) : .null
            apiKeys.append(JSONObject(distinct: [
                "id": .string(id),
                "type": "api_key",
                "name": .string(name),
                // Deprecated: null for keys of the default workspace and for organization-scoped keys.
                "workspace_id": isOrganizationScoped ? .null : .stringOrNull(workspaceID),
                "created_at": .string(SandboxTimestamp.format(microseconds: createdAt)),
                "created_by": createdBy,
                "partial_key_hint": .string("sk-ant-api03-" + random.base58(count: 3) + "..." + random.base58(count: 4)),
                "status": .string(status),
                "expires_at": expiresAt,
                "scope": scope,
                "principal": principal,
            ]))
            apiKeyIDs.append(id)
            apiKeyNames.append(name)
        }
        self.apiKeys = apiKeys
        self.apiKeyIDs = apiKeyIDs

        var invites: [JSONObject] = []
        let todaySeconds = configuration.today.daysSinceEpoch * 86_400
        for index in 0..<max(0, configuration.invites) {
            var random = SandboxRandom(seed, SandboxStream.invite.rawValue, UInt64(index))
            let id = "invite_01" + random.base58(count: 22)
            let person = Self.person(index: index + 7, seed: seed &+ 1, domain: "example.org")
            let invitedAt =
                (todaySeconds - random.int(in: 1...40) * 86_400 - random.int(in: 0...86_399)) * 1_000_000
                + random.int(in: 0...999_999)
            let expiresAt = invitedAt + 21 * 86_400 * 1_000_000
            let status: String
            if index % 4 == 2 {
                status = "accepted"
            } else {
                status = expiresAt / 1_000_000 > todaySeconds ? "pending" : "expired"
            }
            invites.append(JSONObject(distinct: [
                "id": .string(id),
                "type": "invite",
                "email": .string(person.email),
                "role": .string(random.pick(SandboxVocabulary.organizationRoles)),
                "invited_at": .string(SandboxTimestamp.format(microseconds: invitedAt)),
                "expires_at": .string(SandboxTimestamp.format(microseconds: expiresAt)),
                "status": .string(status),
            ]))
        }
        self.invites = invites

        var members: [String: [JSONObject]] = [:]
        for (workspaceIndex, workspaceID) in workspaceIDs.enumerated() {
            var list: [JSONObject] = []
            for (userIndex, userID) in userIDs.enumerated() {
                var random = SandboxRandom(
                    seed, SandboxStream.member.rawValue, UInt64(workspaceIndex), UInt64(userIndex))
                guard userIndex == 0 || random.chance(percent: max(0, min(100, configuration.memberPercent))) else { continue }
                let role = userIndex == 0 ? "workspace_admin" : random.pick(SandboxVocabulary.workspaceRoles)
                list.append(JSONObject(distinct: [
                    "type": "workspace_member",
                    "user_id": .string(userID),
                    "workspace_id": .string(workspaceID),
                    "workspace_role": .string(role),
                ]))
            }
            members[workspaceID] = list
        }
        self.members = members

        let terminals = SandboxVocabulary.terminalTypes.count
        let rows = max(0, configuration.claudeCodeRowsPerDay)
        let actorCount = max(userEmails.count + apiKeyNames.count, (rows + terminals - 1) / terminals, 1)
        var actors: [ClaudeCodeActor] = []
        actors.reserveCapacity(actorCount)
        for index in 0..<actorCount {
            var random = SandboxRandom(seed, SandboxStream.claudeCodeActor.rawValue, UInt64(index))
            let isUser: Bool
            let identity: String
            if index < userEmails.count {
                (isUser, identity) = (true, userEmails[index])
            } else if index < userEmails.count + apiKeyNames.count {
                (isUser, identity) = (false, apiKeyNames[index - userEmails.count])
            } else {
                let extra = index - userEmails.count - apiKeyNames.count
                if extra % 2 == 0 {
                    (isUser, identity) = (true, Self.person(index: userCount + extra, seed: seed, domain: "example.com").email)
                } else {
                    (isUser, identity) = (false, "automation-key-\(extra)")
                }
            }
            let isSubscription = isUser && random.chance(percent: 60)
            actors.append(ClaudeCodeActor(
                isUser: isUser,
                identity: identity,
                customerType: isSubscription ? "subscription" : "api",
                subscriptionType: isSubscription ? random.pick(["enterprise", "team"]) : nil,
                hasSubscriptionField: isSubscription || (isUser && random.chance(percent: 50))
            ))
        }
        self.claudeCodeActors = actors

        let rateLimits = RateLimitGenerator.organizationEntries(seed: seed)
        self.rateLimits = rateLimits
        var workspaceRateLimits: [String: [JSONObject]] = [:]
        for (index, workspaceID) in workspaceIDs.enumerated() {
            workspaceRateLimits[workspaceID] = RateLimitGenerator.workspaceEntries(
                workspaceID: workspaceID, workspaceIndex: index, organization: rateLimits)
        }
        self.workspaceRateLimits = workspaceRateLimits
    }

    /// A unique (for distinct `index`) person name and email.
    static func person(index: Int, seed: UInt64, domain: String) -> (name: String, email: String) {
        let firsts = SandboxVocabulary.firstNames
        let lasts = SandboxVocabulary.lastNames
        let pairs = firsts.count * lasts.count
        let pair = (index + Int(seed % UInt64(pairs))) % pairs
        let first = firsts[pair % firsts.count]
        let last = lasts[pair / firsts.count]
        let suffix = index / pairs > 0 ? String(index / pairs) : ""
        return ("\(first) \(last)", "\(first.lowercased()).\(last.lowercased())\(suffix)@\(domain)")
    }
}
