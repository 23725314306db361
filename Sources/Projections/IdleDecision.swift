/// What a projection runner does after a step: store its position, wait for a wake-up.
///
/// Guarantees: the position is stored at least once per `saveInterval`, busy or idle, so a
/// projection that skips what is being appended still shows standbys and lag figures how
/// far it has read; the runner waits only when the step found nothing new.
struct IdleDecision: Equatable {
    static let saveInterval: Duration = .seconds(1)

    let saves: Bool
    let waits: Bool

    init(progressed: Bool, sinceSave: Duration) {
        saves = sinceSave >= Self.saveInterval
        waits = !progressed
    }
}
