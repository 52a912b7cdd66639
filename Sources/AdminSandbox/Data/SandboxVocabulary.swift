/// The fixed word lists synthetic values are drawn from.
enum SandboxVocabulary {
    /// A Claude model: API id, display name used in cost descriptions, prices in US cents per million tokens.
    struct Model {
        let id: String
        let displayName: String
        let inputCentsPerMillion: Int
        let outputCentsPerMillion: Int
    }

    static let models: [Model] = [
        Model(id: "claude-sonnet-4-20250514", displayName: "Claude Sonnet 4", inputCentsPerMillion: 300, outputCentsPerMillion: 1500),
        Model(id: "claude-opus-4-1-20250805", displayName: "Claude Opus 4.1", inputCentsPerMillion: 1500, outputCentsPerMillion: 7500),
        Model(id: "claude-3-5-haiku-20241022", displayName: "Claude Haiku 3.5", inputCentsPerMillion: 80, outputCentsPerMillion: 400),
        Model(id: "claude-sonnet-4-5-20250929", displayName: "Claude Sonnet 4.5", inputCentsPerMillion: 300, outputCentsPerMillion: 1500),
    ]

    static let serviceTiers = ["standard", "batch", "priority"]

    /// Cost token types with the wording used in cost descriptions.
    static let tokenTypes: [(type: String, label: String)] = [
        ("uncached_input_tokens", "Input Tokens"),
        ("output_tokens", "Output Tokens"),
        ("cache_read_input_tokens", "Cache Read Input Tokens"),
        ("cache_creation.ephemeral_5m_input_tokens", "5m Cache Write Input Tokens"),
        ("cache_creation.ephemeral_1h_input_tokens", "1h Cache Write Input Tokens"),
    ]

    static let firstNames = [
        "Ana", "Bruno", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Lars",
        "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas",
    ]
    static let lastNames = [
        "Lima", "Okafor", "Novak", "Berg", "Tanaka", "Haddad", "Silva", "Kowalski", "Moreau", "Singh", "Jensen",
        "Rossi", "Park", "Ivanova", "Mendez", "Schmidt", "Nakamura",
    ]
    static let organizationRoles = ["user", "developer", "developer", "billing", "claude_code_user", "user"]
    static let workspaceRoles = ["workspace_user", "workspace_developer", "workspace_admin", "workspace_billing"]
    static let workspaceNames = [
        "Platform", "Research", "Data Science", "Mobile", "Support Bots", "Growth", "Security", "Internal Tools",
    ]
    static let displayColors = ["#6C5BB9", "#3E8BD9", "#D97A3E", "#2FA37B", "#C4455B", "#8C8C2E"]
    static let apiKeyPurposes = [
        "Developer Key", "Production Backend", "CI Pipeline", "Batch Jobs", "Staging", "Data Export", "Eval Harness",
    ]
    static let terminalTypes = [
        "vscode", "iTerm.app", "tmux", "Apple_Terminal", "cursor", "ghostty", "WezTerm", "jetbrains", "xterm-256color",
        "windows-terminal",
    ]
    static let claudeCodeTools = ["edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool"]
    static let contextWindows = ["0-200k", "200k-1M"]
}
