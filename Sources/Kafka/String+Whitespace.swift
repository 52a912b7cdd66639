extension StringProtocol {
    /// This text without the spaces and tabs at either end: what Foundation's `trimmingCharacters(in:
    /// .whitespaces)` removes (tab and Unicode's space separators), without Foundation. Shared with the settings
    /// parser (StreamerCLI), which trims the same way.
    package func trimmingWhitespace() -> String {
        let text = String(self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpaceOrTab }),
            let last = scalars.lastIndex(where: { !$0.isSpaceOrTab })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// A tab or a space separator (Unicode category Zs), the members of Foundation's `CharacterSet.whitespaces`.
    fileprivate var isSpaceOrTab: Bool {
        self == "\t" || properties.generalCategory == .spaceSeparator
    }
}
