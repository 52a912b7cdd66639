extension String {
    /// This text cut or padded with spaces to `width` characters, for columns (Foundation's `padding(toLength:
    /// withPad: " ", startingAt: 0)` without Foundation).
    func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
