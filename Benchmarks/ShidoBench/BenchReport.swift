import Foundation

/// Collects trials and prints a table, then `ratio NAME VALUE` lines for scripts.
struct BenchReport {
    private var rows: [(scenario: String, round: Int, result: TrialResult)] = []
    private var ratios: [(name: String, values: [Double])] = []
    private var latencies: [(name: String, values: [Double])] = []
    private var measured: [(name: String, p50: Double, p99: Double)] = []
    private var extraRatios: [(name: String, value: Double)] = []
    private var values: [(name: String, value: Double)] = []
    private var durations: [(name: String, value: Double)] = []
    private var memory: [(name: String, value: Double)] = []
    private var cpu: [(name: String, values: [Double])] = []

    /// A latency measured once (p50 and p99 in milliseconds).
    mutating func latency(_ name: String, p50: Double, p99: Double) { measured.append((name, p50, p99)) }
    /// A ratio measured once.
    mutating func ratio(_ name: String, _ value: Double) { extraRatios.append((name, value)) }
    /// A figure for the table (events/s).
    mutating func value(_ name: String, _ value: Double) { values.append((name, value)) }
    /// A duration in seconds.
    mutating func seconds(_ name: String, _ value: Double) { durations.append((name, value)) }

    /// A process's peak resident memory, in MiB.
    mutating func residentMiB(_ name: String, _ value: Double) { memory.append((name, value)) }

    /// Records a trial's p99 latency under `name` (printed as the median over rounds).
    mutating func latency(_ name: String, _ result: TrialResult) {
        guard let p99 = result.p99Milliseconds else { return }
        if let index = latencies.firstIndex(where: { $0.name == name }) {
            latencies[index].values.append(p99)
        } else {
            latencies.append((name, [p99]))
        }
    }

    /// Records a trial's CPU microseconds per event under `name` for PostgreSQL
    /// (`postgres_under_NAME`), the daemon (`NAME`) and the client (`NAME_client`: pgbench, or this program driving the socket),
    /// each printed as the median over rounds.
    mutating func cpu(_ name: String, _ result: TrialResult) {
        let events = Double(max(1, result.events))
        cpuSample("postgres_under_" + name, result.postgresCPUSeconds / events * 1e6)
        if let daemon = result.daemonCPUSeconds { cpuSample(name, daemon / events * 1e6) }
        if let client = result.clientCPUSeconds { cpuSample(name + "_client", client / events * 1e6) }
    }

    private mutating func cpuSample(_ name: String, _ micros: Double) {
        if let index = cpu.firstIndex(where: { $0.name == name }) {
            cpu[index].values.append(micros)
        } else {
            cpu.append((name, [micros]))
        }
    }

    mutating func add(_ scenario: String, round: Int, _ result: TrialResult) {
        rows.append((scenario, round, result))
        FileHandle.standardError.write(Data("  \(scenario) round \(round): \(Int(result.eventsPerSecond)) events/s\n".utf8))
    }

    mutating func pair(_ name: String, subject: TrialResult, baseline: TrialResult) {
        let ratio = subject.eventsPerSecond / baseline.eventsPerSecond
        if let index = ratios.firstIndex(where: { $0.name == name }) {
            ratios[index].values.append(ratio)
        } else {
            ratios.append((name, [ratio]))
        }
    }

    func print() {
        Swift.print(pad("scenario", 34) + pad("round", 7, right: true) + pad("events/s", 11, right: true)
            + pad("wal syncs", 11, right: true) + pad("ms/sync", 9, right: true) + pad("pg µs/ev", 10, right: true) + "  writer")
        for row in rows {
            let perSync = row.result.walSyncs > 0 ? row.result.walSyncMilliseconds / Double(row.result.walSyncs) : 0
            Swift.print(pad(row.scenario, 34) + pad(String(row.round), 7, right: true)
                + pad(String(Int(row.result.eventsPerSecond)), 11, right: true)
                + pad(String(row.result.walSyncs), 11, right: true) + pad(String(format: "%.3f", perSync), 9, right: true)
                + pad(String(format: "%.0f", row.result.postgresCPUSeconds / Double(max(1, row.result.events)) * 1e6), 10, right: true)
                + "  " + row.result.detail)
        }
        Swift.print("")
        Swift.print("median of per-round ratios (subject / baseline, same round):")
        for ratio in ratios {
            let rounds = ratio.values.map { String(format: "%.2f", $0) }.joined(separator: " ")
            Swift.print("  \(pad(ratio.name, 36)) \(String(format: "%.2f", median(ratio.values)))   rounds: \(rounds)")
        }
        if !values.isEmpty || !measured.isEmpty || !durations.isEmpty {
            Swift.print("")
            Swift.print("projections and views:")
            for value in values { Swift.print("  \(pad(value.name, 40)) \(String(format: "%.0f", value.value))") }
            for latency in measured {
                Swift.print("  \(pad(latency.name, 40)) p50 \(String(format: "%.2f", latency.p50)) ms   p99 \(String(format: "%.2f", latency.p99)) ms")
            }
            for duration in durations { Swift.print("  \(pad(duration.name, 40)) \(String(format: "%.2f", duration.value)) s") }
        }
        Swift.print("")
        for ratio in ratios { Swift.print("ratio \(ratio.name) \(String(format: "%.3f", median(ratio.values)))") }
        for ratio in extraRatios { Swift.print("ratio \(ratio.name) \(String(format: "%.3f", ratio.value))") }
        for latency in latencies { Swift.print("p99_ms \(latency.name) \(String(format: "%.3f", median(latency.values)))") }
        for latency in measured { Swift.print("p99_ms \(latency.name) \(String(format: "%.3f", latency.p99))") }
        for duration in durations { Swift.print("seconds \(duration.name) \(String(format: "%.3f", duration.value))") }
        for entry in cpu { Swift.print("cpu_us_per_request \(entry.name) \(String(format: "%.1f", median(entry.values)))") }
        for entry in memory { Swift.print("rss_mib \(entry.name) \(String(format: "%.1f", entry.value))") }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
