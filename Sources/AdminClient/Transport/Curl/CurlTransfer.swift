internal import CCurl
import Synchronization

/// One GET as a curl easy handle: its options, header list and error buffer, the response as it arrives,
/// and the continuation its caller waits on.
///
/// `@unchecked Sendable`: after ``init(request:maximumBodyBytes:)`` the response fields are written only by
/// curl's callbacks and ``finish(_:)`` on ``CurlMulti``'s driving thread; other threads only set the
/// continuation before submitting (ordered by the multi's inbox lock) and flip the atomic cancelled flag.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let maximumBodyBytes: Int
    private let cancelled = Atomic<Bool>(false)
    private var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    var continuation: CheckedContinuation<HTTPResponse, any Error>?

    /// Prepares the easy handle for `request`.
    ///
    /// - Throws: ``TransportFailure`` when a header holds a line break or curl refuses an option (a URL it
    ///   cannot parse, a scheme other than http or https).
    init(request: HTTPRequest, maximumBodyBytes: Int) throws(TransportFailure) {
        guard let easy = curl_easy_init() else { throw TransportFailure(code: .other, detail: "curl_easy_init failed") }
        self.easy = easy
        self.maximumBodyBytes = maximumBodyBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        for header in request.headers {
            // A line break would end the header and let the value inject others.
            guard !header.name.utf8.contains(where: { $0 == 10 || $0 == 13 }),
                !header.value.utf8.contains(where: { $0 == 10 || $0 == 13 })
            else { throw TransportFailure(code: .invalidRequest, detail: "a header holds a line break") }
            // "name;" sends a header with an empty value ("name:" would remove it).
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            guard let list = curl_slist_append(headerList, line) else {
                throw TransportFailure(code: .other, detail: "curl_slist_append failed")
            }
            headerList = list
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let timeout = max(1, min(request.timeout.milliseconds, Int64(Int32.max)))
        var results = [
            ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url),
            ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"),
            ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1),
            ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList),
            // curl asks for gzip and inflates it; the body handed back is the decoded JSON.
            ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "gzip"),
            ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeout)),
            // Redirects come back as responses: the x-api-key header must never follow one to another host.
            ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0),
            ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1),
            ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1),
            ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1),
            // Never on: verbose output would print the request headers, key included.
            ccurl_easy_setopt_long(easy, CURLOPT_VERBOSE, 0),
            ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
            ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, Self.receiveBody),
            ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context),
            ccurl_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, Self.receiveHeader),
            ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context),
        ]
        results.removeAll { $0 == CURLE_OK }
        if let failed = results.first {
            throw TransportFailure(curlCode: failed, detail: Self.text(of: failed))
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// `true` once the caller's task was cancelled.
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Marks the transfer cancelled; ``CurlMulti`` aborts it when it next wakes.
    func cancel() { cancelled.store(true, ordering: .releasing) }

    /// Resumes the caller with the response (`CURLE_OK`) or the failure `result` names.
    func finish(_ result: CURLcode) {
        if result == CURLE_OK {
            var code = 0
            ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            let response = HTTPResponse(status: code, headers: headers, body: body)
            body = []
            resume(with: .success(response))
        } else if bodyTooLarge {
            finish(failing: TransportFailure(code: .bodyTooLarge, detail: "more than \(maximumBodyBytes) bytes"))
        } else {
            let detail = String(cString: errorBuffer)
            finish(failing: TransportFailure(curlCode: result, detail: detail.isEmpty ? Self.text(of: result) : detail))
        }
    }

    /// Resumes the caller with `failure`.
    func finish(failing failure: TransportFailure) { resume(with: .failure(failure)) }

    /// Resumes the caller with `CancellationError`.
    func finishCancelled() { resume(with: .failure(CancellationError())) }

    private func resume(with result: Result<HTTPResponse, any Error>) {
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(with: result)
    }

    private static func text(of code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }

    /// `CURLOPT_WRITEFUNCTION`: appends body bytes (already inflated); stops the transfer past the limit.
    private static let receiveBody: ccurl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard transfer.body.count + length <= transfer.maximumBodyBytes else {
            transfer.bodyTooLarge = true
            return 0
        }
        if transfer.body.isEmpty { transfer.reserveDeclaredLength() }
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }

    /// Sizes the body buffer once from the response's `content-length` (within the body limit), instead of
    /// growing it by doubling (a 1 MB page arrives in 16 KiB pieces: seven reallocations, each copying all so
    /// far). Compressed responses declare their compressed length, so the buffer may still grow after it.
    /// At most ``largestReservation`` is taken on the header's word: a server declaring the whole body limit and
    /// sending little gets a buffer the size of a large page, which grows only with bytes that really arrive.
    private func reserveDeclaredLength() {
        guard let text = headers["content-length"], let declared = Int(text), declared > 0 else { return }
        body.reserveCapacity(min(declared, maximumBodyBytes, Self.largestReservation))
    }

    /// The most reserved ahead from `content-length`: 8 MiB, several times a 1,000-row page (~1–2 MB).
    static let largestReservation = 8 << 20

    /// `CURLOPT_HEADERFUNCTION`: one header line at a time; a status line starts a new response (after a
    /// `100 Continue`), so the headers gathered so far are dropped.
    private static let receiveHeader: ccurl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            transfer.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            transfer.headers[name] = value
        }
        return length
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
