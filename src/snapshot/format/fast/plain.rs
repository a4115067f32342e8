//! Which strings serde_yaml writes as plain scalars, unchanged.

/// True when serde_yaml writes `s` as a plain scalar, unchanged (a conservative test: some
/// plain strings fail it and take the slow path).
pub(super) fn plain(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    // A string that starts with a digit is a number to serde_yaml unless it holds a space
    // (no number does): `3 items` is plain, `3`, `1e5` and `0x1F` are quoted.
    let starts_ok = first.is_ascii_alphabetic()
        || first == b'_'
        || (first.is_ascii_digit() && b.contains(&b' '));
    if !starts_ok || last == b' ' {
        return false;
    }
    for (i, &c) in b.iter().enumerate() {
        let colon_ok = c == b':' && i + 1 < b.len() && b[i + 1] != b' ';
        if !(PLAIN[usize::from(c)] || colon_ok) {
            return false;
        }
    }
    // Strings that read back as another type are quoted by serde_yaml. Of the strings left,
    // only some starting with a letter can be: nulls and booleans.
    !(matches!(b.len(), 4 | 5)
        && matches!(
            s,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        ))
}

/// The bytes a plain string may hold anywhere (`:` only before a non-space, see [`plain`]).
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'-' | b'.' | b'/' | b';' | b'=' | b'+' | b'(' | b')' | b'$' | b'^' | b' '
            );
        c += 1;
    }
    table
};
