//! The class of the common one-line behaviours (`  returned: 27`, `  returned: 12 w5-0.`,
//! `  panicked: plain text`) read without a YAML parser, so a verify run can afford to class
//! every case. Anything this cannot read for certain (structured values, escapes, words YAML
//! might resolve to something else) is `None` and takes the parser; a property test holds the
//! two to the same answer.

use std::borrow::Cow;

/// The class of a one-line behaviour and whether it is a stop, when it can be read as is.
pub(super) fn classify_line(behaviour: &str) -> Option<(Cow<'static, str>, bool)> {
    let line = behaviour.strip_suffix('\n').unwrap_or(behaviour);
    let (key, value) = line.strip_prefix("  ")?.split_once(": ")?;
    if value.is_empty() || value.contains(['\n', '\r']) {
        return None;
    }
    match key {
        "returned" => returned(value).map(|shape| (shape, false)),
        "panicked" => is_plain_text(value).then(|| {
            let message = super::digits_as_hash(value);
            (Cow::Owned(format!("panicked: {message}")), true)
        }),
        _ => None,
    }
}

/// The class of a returned scalar written on one line.
fn returned(value: &str) -> Option<Cow<'static, str>> {
    let class = |shape: &'static str| Some(Cow::Borrowed(shape));
    if let Some(inner) = quoted(value) {
        return if inner {
            class("returned text")
        } else {
            class("returned ''")
        };
    }
    if is_number(value) {
        let x: f64 = value.parse().ok()?;
        return if x > 0.0 {
            class("returned +n")
        } else if x < 0.0 {
            class("returned -n")
        } else {
            class("returned 0")
        };
    }
    match value {
        "true" => return class("returned true"),
        "false" => return class("returned false"),
        "~" | "null" => return class("returned ~"),
        _ => {}
    }
    is_plain_text(value).then_some(Cow::Borrowed("returned text"))
}

/// For a whole single- or double-quoted scalar without escapes: whether it holds any text.
fn quoted(value: &str) -> Option<bool> {
    let single = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''));
    if let Some(inner) = single {
        let unpaired = inner.replace("''", "").contains('\'');
        return (!unpaired).then_some(!inner.is_empty());
    }
    let double = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'))?;
    (!double.contains(['"', '\\'])).then_some(!double.is_empty())
}

/// Digits with at most a sign and a decimal point: a number as kaizen writes one.
fn is_number(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // `012` is text to YAML, not twelve.
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    !whole.is_empty()
        && !leading_zero
        && all_digits(whole)
        && fraction.is_none_or(|f| !f.is_empty() && all_digits(f))
}

/// A plain scalar that can only be read as a string: it starts with a letter (not a word
/// YAML reads as a boolean or null in any case), or it holds a space, so no number, boolean or
/// null looks like it; and no character starts a comment, a key or anything else.
fn is_plain_text(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let starts_well =
        first.is_ascii_alphabetic() || (first.is_ascii_digit() && value.contains(' '));
    let words = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let reserved = value.len() <= 5 && words.iter().any(|w| value.eq_ignore_ascii_case(w));
    starts_well
        && !reserved
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains(|c: char| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jail::Outcome;
    use crate::snapshot::format;
    use proptest::strategy::Strategy as _;
    use serde_yaml::Value;

    /// The class the YAML parser gives a one-line `returned:` or `panicked:` behaviour.
    fn parsed(behaviour: &str) -> Option<String> {
        let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(behaviour) else {
            return None;
        };
        let (key, value) = map.iter().next()?;
        Some(match key.as_str()? {
            "returned" => format!("returned {}", super::super::shape(value, 0)),
            _ => format!(
                "panicked: {}",
                super::super::digits_as_hash(&super::super::scalar(value))
            ),
        })
    }

    #[test]
    fn the_common_one_line_behaviours_are_read_without_the_parser() {
        for behaviour in [
            "  returned: 27\n",
            "  returned: -3\n",
            "  returned: 0\n",
            "  returned: 0.5\n",
            "  returned: -0.0\n",
            "  returned: 12 w5-0.w5-1.\n",
            "  returned: abc\n",
            "  returned: '12'\n",
            "  returned: ''\n",
            "  returned: true\n",
            "  returned: ~\n",
            "  panicked: attempt to subtract with overflow\n",
            "  panicked: the len is 6 but the index is 7\n",
        ] {
            let fast = classify_line(behaviour).expect(behaviour);
            assert_eq!(Some(fast.0.into_owned()), parsed(behaviour), "{behaviour}");
        }
        for parser_only in [
            "  panicked: 'quoted: text'\n",
            "  returned: True\n",
            "  returned: 0x1F\n",
            "  returned: .inf\n",
            "  returned: \"a\\tb\"\n",
            "  returned:\n    Ok: 1\n",
            "  returned: 'a'b'\n",
            "  returned: 012\n",
        ] {
            assert_eq!(classify_line(parser_only), None, "{parser_only}");
        }
    }

    /// Text made of pieces that mean something to YAML.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        const PIECES: [&str; 30] = [
            "a", "Z", "w5", "12", "0", "-", "+", ".", " ", ": ", ":", "#", " #", "'", "\"", "\\",
            "true", "True", "null", "~", "yes", "No", "inf", ".inf", "0x1F", "1e3", "\t", "é",
            "\u{feff}", "[",
        ];
        proptest::collection::vec(proptest::sample::select(&PIECES[..]), 1..7)
            .prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(3000))]

        /// Whenever the one-line reading answers, the parser gives the same class: for any
        /// text as written after the key, and for strings as kaizen writes them.
        #[test]
        fn the_one_line_reading_agrees_with_the_parser(value in text(), key in 0u8..2) {
            let key = if key == 0 { "returned" } else { "panicked" };
            let raw = format!("  {key}: {value}\n");
            if let Some((class, _)) = classify_line(&raw) {
                proptest::prop_assert_eq!(Some(class.into_owned()), parsed(&raw), "{:?}", raw);
            }
            let written = format::encode_behaviour(&Outcome::Returned(value.as_str())).unwrap();
            if let Some((class, _)) = classify_line(&written) {
                proptest::prop_assert_eq!(Some(class.into_owned()), parsed(&written), "{:?}", written);
            }
        }
    }
}
