/// Makes text that came from outside (an API error message, a header, a transport error) safe to put in an
/// error or a log line: control characters removed (a newline could forge a log line), the length capped, and
/// anything shaped like a key or token redacted (a proxy that echoes `x-api-key` must not leak it).
///
/// Redacted, each as `<redacted>`:
/// - a word containing `sk-ant-` (any Anthropic key) and any of the `knownSecrets` verbatim;
/// - the word after `Bearer` or `Basic`, and the value after a key-like name followed by `:` or `=`
///   (`x-api-key: …`, `api_key=…`, `"authorization":"…"`, `token=…`, `password=…`, `secret: …`);
/// - a run of 32 or more base64/base64url/hex characters (dots included, as in a JWT) holding at least four
///   digits: long random material. A URL or a sentence has too few digits to match.
enum ErrorTextSanitizer {
    /// The longest sanitised text, in characters; longer text is cut and ends in `…`.
    static let maximumLength = 300
    /// What redacted material is replaced with.
    static let redacted = "<redacted>"

    /// `text`, safe for logs and errors.
    ///
    /// - Parameters:
    ///   - text: text from outside.
    ///   - knownSecrets: exact values to redact wherever they appear (e.g. the API key itself).
    ///   - maximumLength: the cap, in characters.
    static func sanitize(_ text: String, knownSecrets: [String] = [], maximumLength: Int = maximumLength) -> String {
        // Work on a bounded prefix: a hostile body may be megabytes long. Four times the cap leaves room for
        // redactions to shorten it without a secret straddling the final cut.
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(text.unicodeScalars.count, maximumLength * 4))
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            if scalars.count >= maximumLength * 4 { break }
            if isControl(scalar) {
                // Line breaks and tabs become one space (so words stay apart); other controls vanish.
                if isBreak(scalar), !lastWasSpace, !scalars.isEmpty {
                    scalars.append(" ")
                    lastWasSpace = true
                }
                continue
            }
            scalars.append(scalar)
            lastWasSpace = scalar == " "
        }
        var cleaned = String(String.UnicodeScalarView(scalars))
        for secret in knownSecrets where secret.count >= 8 {
            cleaned = cleaned.replacing(secret, with: redacted)
        }
        let result = redactTokens(in: cleaned)
        guard result.count > maximumLength else { return result }
        return String(result.prefix(maximumLength - 1)) + "…"
    }

    /// Controls: C0, DEL, C1, line/paragraph separators, bidirectional overrides and isolates, zero-width
    /// formatting characters that can hide text.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200B...0x200F, 0xFEFF:
            return true
        default:
            return false
        }
    }

    private static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains(scalar.value)
    }

    /// Characters of a token: base64, base64url, hex, and the dots of a JWT (base64 padding `=` is taken only at
    /// a token's end, so `api_key=value` stays a name, a `=` and a value).
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "+", "/", "_", "-", ".": return true
        default: return false
        }
    }

    /// Names whose value (after `:` or `=`) is a secret.
    private static let secretNames = [
        "api-key", "api_key", "apikey", "x-api-key", "authorization", "token", "password", "passwd", "secret",
        "access_token", "refresh_token", "client_secret", "cookie", "set-cookie", "session",
    ]

    private static func redactTokens(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        var redactNext = false
        while index < scalars.count {
            guard isTokenCharacter(scalars[index]) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, isTokenCharacter(scalars[end]) { end += 1 }
            // Base64 padding belongs to the token only when nothing token-like follows it.
            var paddingEnd = end
            while paddingEnd < scalars.count, scalars[paddingEnd] == "=" { paddingEnd += 1 }
            if paddingEnd > end, paddingEnd == scalars.count || !isTokenCharacter(scalars[paddingEnd]) {
                if followsSecretName(String(String.UnicodeScalarView(scalars[index..<end])).lowercased(), scalars, end) {
                    // `password= value`: the name, then the value.
                } else {
                    end = paddingEnd
                }
            }
            let word = String(String.UnicodeScalarView(scalars[index..<end]))
            let lowered = word.lowercased()
            let alreadyRedacted =
                word == "redacted" && index > 0 && scalars[index - 1] == "<" && end < scalars.count && scalars[end] == ">"
            if alreadyRedacted {
                output.append(contentsOf: word.unicodeScalars)
                redactNext = false
            } else if lowered == "bearer" || lowered == "basic" {
                output.append(contentsOf: word.unicodeScalars)
                redactNext = true
            } else if redactNext || isSecretShaped(word) {
                output.append(contentsOf: redacted.unicodeScalars)
                redactNext = false
            } else {
                output.append(contentsOf: word.unicodeScalars)
                redactNext = followsSecretName(lowered, scalars, end)
            }
            index = end
        }
        return String(output)
    }

    /// `word` is a key-like name and is followed (after quotes and spaces) by `:` or `=`.
    private static func followsSecretName(_ word: String, _ scalars: [Unicode.Scalar], _ end: Int) -> Bool {
        guard secretNames.contains(where: { word == $0 || word.hasSuffix("-" + $0) || word.hasSuffix("_" + $0) })
        else { return false }
        var position = end
        while position < scalars.count, scalars[position] == "\"" || scalars[position] == "'" || scalars[position] == " " {
            position += 1
        }
        return position < scalars.count && (scalars[position] == ":" || scalars[position] == "=")
    }

    private static func isSecretShaped(_ word: String) -> Bool {
        if word.lowercased().contains("sk-ant-") { return true }
        guard word.unicodeScalars.count >= 32 else { return false }
        return word.unicodeScalars.count { ("0"..."9").contains($0) } >= 4
    }
}
