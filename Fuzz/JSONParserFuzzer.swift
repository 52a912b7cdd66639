// libFuzzer entry point for the JSON module (Sources/JSON): the strict tree parser and the span scanner the
// product decodes pages with. Built and run by `scripts/fuzz SECONDS`. Not part of the Swift package: SwiftPM
// never compiles this folder.
//
// Besides "no crash", it checks what each promises: a document the parser accepts is valid UTF-8, has no key
// repeated in one object, and writes back (JSONWriter) to a document that parses to the same value; a document
// it refuses gets an error inside the input whose path starts at `$`. The span scanner accepts exactly what the
// parser accepts, with the same kind of error, and its compact copy of an accepted document (JSONSpanWriter, the
// bytes events are made of) parses to the same value. A violation traps, so libFuzzer saves the input as a
// crash; turn each one into a regression test in Tests/AdminClientTests/JSONFuzzTests.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parsed: JSONValue?
    do {
        let value = try JSONParser.parse(bytes)
        precondition(String(validating: bytes, as: UTF8.self) != nil, "accepted invalid UTF-8")
        precondition(hasDistinctKeys(value), "accepted a repeated key")
        let written = JSONWriter.encode(value)
        precondition((try? JSONParser.parse(written)) == value, "did not round-trip")
        parsed = value
    } catch {
        precondition((0...bytes.count).contains(error.offset), "error offset outside the input")
        precondition(error.path.hasPrefix("$"), "error path does not start at $")
        parsed = nil
    }
    do {
        let map = try JSONSpanScanner.scan(bytes)
        guard let parsed else { preconditionFailure("the span scanner accepted what the parser refuses") }
        var compact: [UInt8] = []
        map.appendCompact(map.root, into: &compact)
        precondition((try? JSONParser.parse(compact)) == parsed, "the span scanner's compact copy differs")
    } catch {
        precondition(parsed == nil, "the span scanner refused what the parser accepts")
        precondition((0...bytes.count).contains(error.offset), "span error offset outside the input")
        precondition(error.path.hasPrefix("$"), "span error path does not start at $")
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
