extension JSONSpanMap {
    /// A string's *key word*: its byte count (capped at 255) in the top byte and its first bytes (up to 7) below,
    /// as ``keyWord(of:)`` packs them. Two simple strings with the same bytes have the same word, so one integer
    /// comparison tells most differing keys apart; only strings longer than 7 bytes need their remaining bytes
    /// compared after the words match.
    ///
    /// - Parameter value: a simple string's value number (``isSimple(_:)``): the word packs its bytes as written.
    @inlinable
    public func keyWord(_ value: Int) -> UInt64 {
        let entry = entries[value]
        let first = entry.first
        let count = entry.second
        return bytes.withUnsafeBufferPointer { input in
            let length = min(count, 7)
            var word: UInt64 = 0
            guard first >= 0 else { return UInt64(min(count, 255)) << 56 }
            if let base = input.baseAddress, first <= input.count - 8 {
                // One unaligned load, the bytes past the string masked off.
                let loaded = UInt64(littleEndian: UnsafeRawPointer(base + first).loadUnaligned(as: UInt64.self))
                word = loaded & ((1 << (8 * UInt64(length))) &- 1)
            } else {
                var offset = 0
                while offset < length, first + offset < input.count {
                    word |= UInt64(input[first + offset]) << (8 * UInt64(offset))
                    offset += 1
                }
            }
            return word | UInt64(min(count, 255)) << 56
        }
    }

    /// The key word of `key` (UTF-8 bytes), as ``keyWord(_:)`` packs a scanned string.
    ///
    /// - Parameter key: the key's bytes.
    @inlinable
    public static func keyWord<Bytes: Collection<UInt8>>(of key: Bytes) -> UInt64 {
        var word = UInt64(min(key.count, 255)) << 56
        var shift: UInt64 = 0
        for byte in key.prefix(7) {
            word |= UInt64(byte) << shift
            shift += 8
        }
        return word
    }

    /// A string's *tail word*: its last 8 bytes (0 when it has fewer), as ``keyTail(of:)`` packs them. With the
    /// key word (length and first 7 bytes) it pins down every string of up to 15 bytes, so such keys compare as
    /// two integers.
    ///
    /// - Parameter value: a simple string's value number (``isSimple(_:)``).
    @inlinable
    public func keyTail(_ value: Int) -> UInt64 {
        let entry = entries[value]
        let end = entry.first + entry.second
        guard entry.second >= 8, entry.first >= 0 else { return 0 }
        return bytes.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress, end <= input.count else { return 0 }
            return UInt64(littleEndian: UnsafeRawPointer(base + (end - 8)).loadUnaligned(as: UInt64.self))
        }
    }

    /// The tail word of `key` (UTF-8 bytes), as ``keyTail(_:)`` packs a scanned string.
    ///
    /// - Parameter key: the key's bytes.
    @inlinable
    public static func keyTail<Bytes: Collection<UInt8>>(of key: Bytes) -> UInt64 {
        guard key.count >= 8 else { return 0 }
        var word: UInt64 = 0
        var shift: UInt64 = 0
        for byte in key.suffix(8) {
            word |= UInt64(byte) << shift
            shift += 8
        }
        return word
    }

    /// `true` when the bytes of the simple string `value` from offset `offset` on equal `other[range]`, whose
    /// length must be the string's length less `offset`.
    ///
    /// - Parameters:
    ///   - value: a simple string's value number.
    ///   - offset: where to begin, in bytes from the string's start.
    ///   - other: the bytes to compare with.
    ///   - range: the part of `other` to compare.
    @inlinable
    public func stringSuffix(_ value: Int, from offset: Int, equals other: [UInt8], _ range: Range<Int>) -> Bool {
        let entry = entries[value]
        guard entry.second - offset == range.count, offset >= 0 else { return false }
        let start = entry.first + offset
        var index = 0
        while index < range.count {
            if bytes[start + index] != other[range.lowerBound + index] { return false }
            index += 1
        }
        return true
    }
}
