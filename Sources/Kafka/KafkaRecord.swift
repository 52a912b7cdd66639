/// A record to produce.
///
/// Key and value are slices: the events of a page are slices of the buffer their encoder wrote the page's rows into
/// (rarely two, when a page outgrows its first), carried to the producer without a copy; librdkafka reads them in
/// place until their delivery reports, and each record keeps its buffer alive until then.
public struct KafkaRecord: Sendable, Hashable {
    /// The destination topic.
    public var topic: String
    /// The key; records with the same key land in the same partition (murmur2, as Java clients do).
    /// `nil` → a random partition.
    public var key: ArraySlice<UInt8>?
    /// The value; `nil` is a tombstone (deletes the key in a compacted topic).
    public var value: ArraySlice<UInt8>?
    /// Headers, in order.
    public var headers: [KafkaHeader]

    /// Creates a record from slices of bytes (kept as they are: no copy).
    /// - Parameters:
    ///   - topic: The destination topic.
    ///   - key: The key, or `nil`.
    ///   - value: The value, or `nil` for a tombstone.
    ///   - headers: Headers, in order. Default: none.
    public init(topic: String, key: ArraySlice<UInt8>?, value: ArraySlice<UInt8>?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Creates a record from arrays of bytes.
    /// - Parameters:
    ///   - topic: The destination topic.
    ///   - key: The key, or `nil`.
    ///   - value: The value, or `nil` for a tombstone.
    ///   - headers: Headers, in order. Default: none.
    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: key?[...], value: value?[...], headers: headers)
    }

    /// The key's and the value's bytes together (headers not counted).
    public var byteCount: Int { (key?.count ?? 0) + (value?.count ?? 0) }
}
