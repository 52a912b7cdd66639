import AdminClient

/// What changed since the configuration: revised days and deleted entities. Copied into every request so
/// a response is generated from one consistent view.
struct SandboxState: Sendable, Hashable {
    /// Revision number per day (days never revised are at 0).
    var revisions: [CalendarDay: Int] = [:]
    var deletedAPIKeyIDs: Set<String> = []
    var deletedInviteIDs: Set<String> = []
    /// `workspace_id/user_id` of removed memberships.
    var removedMembers: Set<String> = []

    func revision(of day: CalendarDay) -> Int {
        revisions[day] ?? 0
    }

    static func memberKey(workspaceID: String, userID: String) -> String {
        workspaceID + "/" + userID
    }
}
