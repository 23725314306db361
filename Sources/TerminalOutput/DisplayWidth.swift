import CWideChar

/// How many terminal columns text takes.
///
/// Guarantees: measured per grapheme cluster (what a terminal draws as one glyph): a
/// cluster with an emoji presentation or a variation selector 16 takes 2 columns; any other
/// cluster takes the width glibc's `wcwidth` gives its first scalar in the C.UTF-8 locale
/// (2 for Hangul, kana, kanji and fullwidth forms, 1 for Latin, 0 for a lone combining mark);
/// control characters take 0. The locale is applied per call and per thread (`uselocale`),
/// never process-wide. Tests compare it with Python's `wcwidth` package.
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) { return 2 }
        guard let first = scalars.first else { return 0 }
        if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        return max(0, Int(scalarWidth(first)))
    }

    private static func scalarWidth(_ scalar: Unicode.Scalar) -> Int32 {
        shido_scalar_width(scalar.value)
    }
}
