import EmbeddedPostgres

/// The daemon's own embedded cluster, for tests that stop it underneath the daemon.
struct EmbeddedPostgresHandle {
    let cluster: EmbeddedPostgres

    init(directory: String) throws { cluster = try EmbeddedPostgres(dataDirectory: directory) }

    func stop() { try? cluster.stop(mode: .fast) }
    func start() throws { try cluster.start() }
}
