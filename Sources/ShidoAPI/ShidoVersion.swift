/// The version of shido's daemon and CLI, which are released together.
///
/// Guarantees: `shido --version`, `shidod --version` and `/v1/status` report this one value.
public enum ShidoVersion {
    public static let current = "0.2.0"
}
