import CRdKafka

/// Enqueues the records of one `send` with `rd_kafka_produceva`: librdkafka copies the headers and reads key and
/// value in place until the message's delivery report (no `RD_KAFKA_MSG_F_COPY`: the caller's ``DeliveryBatch``
/// keeps them alive that long, so a page's bytes exist once, not once in Swift and once in librdkafka),
/// reusing what consecutive records share: the argument array, the topic handle, and the C form of the headers
/// when records share their headers' storage (the events of a page do). ``deallocate()`` when done.
struct RecordProducer {
    /// Items after the cached headers: topic, opaque, flags, value, key.
    private static let fixedItems = 5

    let handle: RdKafkaHandle
    private var items: UnsafeMutablePointer<rd_kafka_vu_t>
    private var itemCapacity: Int
    private var headerBytes: UnsafeMutableRawPointer
    private var headerByteCapacity: Int
    /// The headers whose C form is in ``items`` and ``headerBytes`` (kept, so their storage is not reused).
    private var cachedHeaders: [KafkaHeader]? = nil
    private var headerCount = 0
    private var topicName: String? = nil
    private var topic: OpaquePointer? = nil

    init(handle: RdKafkaHandle) {
        self.handle = handle
        self.itemCapacity = Self.fixedItems + 8
        self.items = .allocate(capacity: itemCapacity)
        self.headerByteCapacity = 256
        self.headerBytes = .allocate(byteCount: headerByteCapacity, alignment: 1)
    }

    /// Frees the scratch memory.
    func deallocate() {
        items.deallocate()
        headerBytes.deallocate()
    }

    /// Enqueues `record` with `opaque`.
    mutating func produce(_ record: KafkaRecord, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        prepareHeaders(record.headers)
        if record.topic != topicName {
            topicName = record.topic
            topic = handle.topic(named: record.topic)
        }
        let topic = topic
        // After the headers: topic, opaque, flags, value, then the key when there is one.
        let fixed = items + headerCount
        fixed[1] = rd_kafka_vu_t()
        fixed[1].vtype = RD_KAFKA_VTYPE_OPAQUE
        fixed[1].u.ptr = opaque
        fixed[2] = rd_kafka_vu_t()
        fixed[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
        fixed[2].u.i = 0  // no RD_KAFKA_MSG_F_COPY: read in place (see the type's comment)
        let items = items
        let count = headerCount + (record.key == nil ? Self.fixedItems - 1 : Self.fixedItems)
        let rk = handle.pointer
        let hasKey = record.key != nil
        let call = { (value: UnsafeMutableRawPointer?, valueCount: Int, key: UnsafeMutableRawPointer?, keyCount: Int) in
            fixed[3] = rd_kafka_vu_t()
            fixed[3].vtype = RD_KAFKA_VTYPE_VALUE
            fixed[3].u.mem.ptr = value
            fixed[3].u.mem.size = valueCount
            if hasKey {
                fixed[4] = rd_kafka_vu_t()
                fixed[4].vtype = RD_KAFKA_VTYPE_KEY
                fixed[4].u.mem.ptr = key
                fixed[4].u.mem.size = keyCount
            }
            guard let error = rd_kafka_produceva(rk, items, count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
            defer { rd_kafka_error_destroy(error) }
            return rd_kafka_error_code(error)
        }
        fixed[0] = rd_kafka_vu_t()
        if let topic {
            fixed[0].vtype = RD_KAFKA_VTYPE_RKT
            fixed[0].u.rkt = topic
            return Self.withBytes(record.value) { value, valueCount in
                Self.withBytes(record.key) { key, keyCount in call(value, valueCount, key, keyCount) }
            }
        }
        // librdkafka refused the name as a topic handle: producing by name reports why.
        return record.topic.withCString { name in
            fixed[0].vtype = RD_KAFKA_VTYPE_TOPIC
            fixed[0].u.cstr = name
            return Self.withBytes(record.value) { value, valueCount in
                Self.withBytes(record.key) { key, keyCount in call(value, valueCount, key, keyCount) }
            }
        }
    }

    /// Writes the C form of `headers` (NUL-terminated names and values in ``headerBytes``, one item each) unless
    /// it is already there.
    private mutating func prepareHeaders(_ headers: [KafkaHeader]) {
        if let cachedHeaders, Self.sameStorage(cachedHeaders, headers) { return }
        let byteCount = headers.reduce(0) { $0 + $1.name.utf8.count + 1 + ($1.value?.count ?? 0) }
        if byteCount > headerByteCapacity {
            headerBytes.deallocate()
            headerByteCapacity = max(byteCount, headerByteCapacity * 2)
            headerBytes = .allocate(byteCount: headerByteCapacity, alignment: 1)
        }
        if headers.count + Self.fixedItems > itemCapacity {
            items.deallocate()
            itemCapacity = headers.count + Self.fixedItems
            items = .allocate(capacity: itemCapacity)
        }
        var cursor = headerBytes
        for (index, header) in headers.enumerated() {
            let name = cursor.assumingMemoryBound(to: CChar.self)
            let nameCount = header.name.utf8.withContiguousStorageIfAvailable { bytes -> Int in
                cursor.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                return bytes.count
            } ?? Self.copy(header.name.utf8, to: cursor)
            cursor += nameCount
            cursor.storeBytes(of: 0, as: UInt8.self)
            cursor += 1
            var item = rd_kafka_vu_t()
            item.vtype = RD_KAFKA_VTYPE_HEADER
            item.u.header.name = UnsafePointer(name)
            if let value = header.value {
                let start = cursor
                value.withUnsafeBytes { bytes in
                    if let base = bytes.baseAddress { start.copyMemory(from: base, byteCount: bytes.count) }
                }
                cursor += value.count
                item.u.header.val = UnsafeRawPointer(start)
                item.u.header.size = value.count
            } else {
                item.u.header.val = nil
                item.u.header.size = -1
            }
            items[index] = item
        }
        cachedHeaders = headers
        headerCount = headers.count
    }

    private static func copy(_ bytes: String.UTF8View, to cursor: UnsafeMutableRawPointer) -> Int {
        var count = 0
        for byte in bytes {
            (cursor + count).storeBytes(of: byte, as: UInt8.self)
            count += 1
        }
        return count
    }

    /// Whether two header arrays share their storage (then they are equal without comparing).
    private static func sameStorage(_ lhs: [KafkaHeader], _ rhs: [KafkaHeader]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { left.baseAddress == $0.baseAddress } }
    }

    /// What an empty key or value points at: librdkafka tells an empty one (non-null, 0 bytes) from none (null),
    /// and keeps the pointer until the delivery report, so it must outlive every message (it is never freed).
    nonisolated(unsafe) private static let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Calls `body` with a pointer and count for optional bytes: `nil` → (nil, 0); empty → (non-nil, 0).
    ///
    /// The pointer outlives `body`: librdkafka reads through it until the delivery report. That holds because the
    /// bytes are native array storage kept alive, unmodified, by the message's ``DeliveryBatch``.
    private static func withBytes<R>(_ bytes: ArraySlice<UInt8>?, _ body: (UnsafeMutableRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        if bytes.isEmpty { return body(emptyBytes, 0) }
        // librdkafka only reads through the pointer.
        return bytes.withUnsafeBytes { body(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
    }
}
