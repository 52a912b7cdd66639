/// One setting of the `streamer` commands, declared once: its name (the flag is `--<name>`, the settings-file
/// name is `<name>`), its environment variable, the commands that use it, its help and default, and how its text
/// becomes part of ``CommandSettings``. ``Setting/catalogue`` lists them all; flags, environment and the
/// settings file are read from that list alone, so they cannot drift apart.
struct Setting: Sendable {
    /// Where a setting's environment value comes from.
    enum Environment: Sendable, Hashable {
        /// One variable, e.g. `KAFKA_BOOTSTRAP_SERVERS`.
        case variable(String)
        /// A family of variables for a repeatable `name=value` setting: `KAFKA_PROPERTY_SASL_MECHANISM=PLAIN`
        /// is `sasl.mechanism=PLAIN` (`_` becomes `.`, `__` becomes `_`, lower-cased).
        case prefix(String)

        /// How the README and `--help` show it.
        var display: String {
            switch self {
            case .variable(let name): name
            case .prefix(let prefix): "\(prefix)<NAME>"
            }
        }
    }

    /// How the text is read (for help and the grammar: a switch takes no value on the command line).
    enum Shape: Sendable, Hashable {
        /// `--name value`.
        case value(placeholder: String)
        /// `--name` / `--no-name` on the command line; `true`/`false` in the file and environment.
        case `switch`
        /// `--name value`, repeatable; every occurrence counts (file lines, flags, environment family).
        case repeatable(placeholder: String)
    }

    /// The flag (`--name`) and settings-file name.
    let name: String
    /// The environment variable (or family).
    let environment: Environment
    /// The commands that accept it on the command line (the settings file and the environment serve every
    /// command; a command skips what it does not use there).
    let commands: Set<StreamerSubcommand>
    /// How it is written.
    let shape: Shape
    /// One line of help.
    let help: String
    /// The default, as the help and the README show it.
    let defaultText: String
    /// Whether the settings file may set it (`false` for `config` only: a file cannot name another file).
    let isAllowedInFile: Bool
    /// Reads `text` into the settings; throws a reason without the source (the resolver adds it).
    let apply: @Sendable (inout CommandSettings, String) throws(SettingError) -> Void

    init(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, shape: Shape, help: String,
        default defaultText: String = "", isAllowedInFile: Bool = true,
        apply: @escaping @Sendable (inout CommandSettings, String) throws(SettingError) -> Void
    ) {
        self.name = name
        self.environment = environment
        self.commands = commands
        self.shape = shape
        self.help = help
        self.defaultText = defaultText
        self.isAllowedInFile = isAllowedInFile
        self.apply = apply
    }

    /// `--name`.
    var flag: String { "--\(name)" }
    /// Whether the setting takes no value on the command line.
    var isSwitch: Bool { shape == .switch }
    /// Whether every occurrence counts.
    var isRepeatable: Bool { if case .repeatable = shape { true } else { false } }
}

extension Setting: CustomStringConvertible {
    var description: String { "--\(name)" }
}

/// Why a setting's text was refused, without saying where it came from (``SettingSource`` does).
struct SettingError: Error, Sendable, Equatable {
    /// One sentence, e.g. "'70' is out of range 0…60".
    let reason: String
}

/// The subcommands that read settings.
enum StreamerSubcommand: String, Sendable, Hashable, CaseIterable, Comparable {
    case run, backfill, check, reset, status

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .run: 0
        case .backfill: 1
        case .check: 2
        case .reset: 3
        case .status: 4
        }
    }
}

extension Set where Element == StreamerSubcommand {
    /// run, backfill and check.
    static let all: Self = [.run, .backfill, .check]
    /// run, backfill and check, and the commands that read or write checkpoints and state (reset, status).
    static let withState: Self = all.union([.reset, .status])
}
