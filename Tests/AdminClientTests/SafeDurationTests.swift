import Testing

@testable import AdminClient

@Suite struct SafeDurationTests {
    @Test(
        "exactly: finite, non-negative, within the maximum, or nil",
        arguments: [
            (1.5, Duration?.some(.milliseconds(1500))), (0.3, .some(.milliseconds(300))), (0, .some(.zero)),
            (-1, nil), (.infinity, nil), (-.infinity, nil), (.nan, nil), (1e300, nil), (1e17 * 3600, nil),
            (Double(Int64.max), nil), (61, nil), (60, .some(.seconds(60))),
        ])
    func exactly(seconds: Double, expected: Duration?) {
        #expect(SafeDuration.exactly(seconds: seconds, maximum: .seconds(60)) == expected)
    }

    @Test(
        "clamped: cut into 0...maximum, nil only when not a number",
        arguments: [
            (1e30, Duration?.some(.seconds(60))), (-1e30, .some(.zero)), (2.25, .some(.milliseconds(2250))),
            (.infinity, nil), (.nan, nil), (Double.greatestFiniteMagnitude, .some(.seconds(60))),
        ])
    func clamped(seconds: Double, expected: Duration?) {
        #expect(SafeDuration.clamped(seconds: seconds, maximum: .seconds(60)) == expected)
    }

    @Test("the maximum can never exceed the ceiling")
    func ceiling() {
        let huge = Duration.seconds(Int64.max / 2)
        #expect(SafeDuration.clamped(seconds: 1e300, maximum: huge) == SafeDuration.ceiling)
        #expect(SafeDuration.exactly(seconds: 1e12, maximum: huge) == nil)
    }

    @Test("milliseconds of a huge duration saturate instead of trapping")
    func saturatingMilliseconds() {
        #expect(Duration.seconds(Int64.max / 2).milliseconds == .max)
        #expect(Duration.seconds(-(Int64.max / 2)).milliseconds == .min)
        #expect(Duration.milliseconds(1234).milliseconds == 1234)
    }
}
