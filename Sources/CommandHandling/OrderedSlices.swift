extension Array where Element: Sendable {
    /// `transform` of every element, in order, computed in up to `slices` slices side by side
    /// (each at least `minimumSlice` long); when elements fail, the first failing one's error
    /// (in array order) is thrown, as a loop would.
    public func mapInSlices<Output: Sendable>(
        slices: Int = 8, minimumSlice: Int = 1, _ transform: @escaping @Sendable (Element) async throws -> Output
    ) async throws -> [Output] {
        let size = Swift.max(minimumSlice, count / Swift.max(1, slices))
        let parts = stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + size, count)] }
        let done = await withTaskGroup(of: (Int, Result<[Output], any Error>).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask {
                    do {
                        var outputs: [Output] = []
                        outputs.reserveCapacity(part.count)
                        for element in part { outputs.append(try await transform(element)) }
                        return (index, .success(outputs))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<[Output], any Error>?](repeating: nil, count: parts.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        var outputs: [Output] = []
        outputs.reserveCapacity(count)
        for result in done { outputs += try result!.get() }
        return outputs
    }
}
