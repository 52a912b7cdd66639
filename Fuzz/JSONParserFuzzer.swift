// libFuzzer entry point for the Admin API client's JSON parser (Sources/AdminClient/JSON), built and run by
// `scripts/fuzz SECONDS`. Not part of the Swift package: SwiftPM never compiles this folder.
//
// Besides "no crash", it checks what the parser promises: a document it accepts is valid UTF-8, has no key
// repeated in one object, and writes back (JSONWriter) to a document that parses to the same value; a document
// it refuses gets an error inside the input whose path starts at `$`. A violation traps, so libFuzzer saves the
// input as a crash; turn each one into a regression test in Tests/AdminClientTests/JSONFuzzTests.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let value = try JSONParser.parse(bytes)
        precondition(String(validating: bytes, as: UTF8.self) != nil, "accepted invalid UTF-8")
        precondition(hasDistinctKeys(value), "accepted a repeated key")
        let written = JSONWriter.encode(value)
        precondition((try? JSONParser.parse(written)) == value, "did not round-trip")
    } catch {
        precondition((0...bytes.count).contains(error.offset), "error offset outside the input")
        precondition(error.path.hasPrefix("$"), "error path does not start at $")
    }
    return 0
}

private func hasDistinctKeys(_ value: JSONValue) -> Bool {
    switch value {
    case .object(let object):
        return Set(object.keys).count == object.count && object.allSatisfy { hasDistinctKeys($0.value) }
    case .array(let elements):
        return elements.allSatisfy(hasDistinctKeys)
    default:
        return true
    }
}
