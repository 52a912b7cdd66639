import Foundation
import Testing

@testable import StreamerCLI

/// The catalogue is the one list of settings: names and environment variables are unique, every setting is
/// documented, and the README's table is the catalogue's.
@Suite struct SettingsCatalogueTests {
    @Test("names and environment variables are unique")
    func unique() {
        let names = Setting.catalogue.map(\.name)
        let variables = Setting.catalogue.map(\.environment.display)
        #expect(Set(names).count == names.count)
        #expect(Set(variables).count == variables.count)
    }

    @Test("every setting has help and at least one command")
    func documented() {
        for setting in Setting.catalogue {
            #expect(!setting.help.isEmpty && !setting.commands.isEmpty, "\(setting.name)")
        }
    }

    @Test("each command's --help lists exactly its settings")
    func help() {
        for command in StreamerSubcommand.allCases {
            let text = SettingsHelp.options(for: command)
            for setting in Setting.catalogue {
                #expect(text.contains("  --\(setting.name) ") == setting.commands.contains(command), "\(command) \(setting.name)")
            }
        }
    }

    @Test("README lists every setting with its flag, environment variable and settings name (the generated table)")
    func readme() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let table = SettingsHelp.markdownTable()
        #expect(readme.contains(table), "README.md must contain:\n\(table)")
    }
}
