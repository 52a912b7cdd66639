/// The independent random streams of the sandbox, one per kind of generated thing, so adding a value to one
/// kind never shifts another's.
enum SandboxStream: UInt64 {
    case organization = 1
    case user
    case workspace
    case apiKey
    case invite
    case member
    case claudeCodeActor
    case claudeCodeDay
    case claudeCodeIdentity
    case claudeCodeValues
    case usageDay
    case usageValues
    case costDay
    case costValues
    case requestID
    case defaultWorkspace
    case rateLimit
}
