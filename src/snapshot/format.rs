//! How one case is written in a snapshot body, and how the body is split back into cases.
//!
//! The body is a YAML sequence with one mapping per case: the `input` key first, then the
//! keys of the jail's behaviour (`returned:`, `panicked:`, `timeout:` for a Rust function,
//! also `exited:` and `crashed:` for an isolated one; `exit:`, `stdout:`, … for a program):
//!
//! ```yaml
//! - input:
//!     qty: 3
//!     code: VIP
//!   returned: 27
//! - input:
//!     qty: 0
//!     code: ''
//!   panicked: quantity must be positive
//! ```
//!
//! Each case is serialized on its own, so a case's text is a slice of the body: a case
//! starts at a line beginning with `- `, and its behaviour starts at the first later line
//! indented by exactly two spaces that is not a sequence item (`  - `). Inputs are compared
//! by their text, behaviours are compared by their text — exact, including `NaN`, `-0.0`
//! and every byte of a string. Enums are written as single-key maps
//! (`serde_yaml::with::singleton_map_recursive`), which also lets an enum variant wrap
//! another enum.

mod fast;
#[cfg(test)]
mod fast_tests;
pub mod readable;
pub(crate) mod stream;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::canonical::Canonical;

/// Serializes `value` as YAML the way kaizen stores it (enums as single-key maps, unordered
/// collections in [canonical order](super::canonical)).
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, serde_yaml::Error> {
    let mut buf = Vec::with_capacity(64);
    {
        let mut ser = serde_yaml::Serializer::new(&mut buf);
        serde_yaml::with::singleton_map_recursive::serialize(&Canonical(value), &mut ser)?;
    }
    // The emitter writes UTF-8 only.
    Ok(String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()))
}

use crate::serde_fields::InputRow;

type InputRowOwned<I> = crate::serde_fields::InputOf<I, false>;

/// The text of a case's input line(s): `- input: …\n`.
///
/// ```
/// let text = kaizen::snapshot::format::encode_input(&(3, "VIP")).unwrap();
/// assert_eq!(text, "- input:\n  - 3\n  - VIP\n");
/// ```
pub fn encode_input<I: Serialize>(input: &I) -> Result<String, serde_yaml::Error> {
    let mut out = String::new();
    write_input(&mut out, input)?;
    Ok(out)
}

/// Appends the text of [`encode_input`] to `out` (no allocation for common inputs).
///
/// ```
/// let mut out = String::from("# ");
/// kaizen::snapshot::format::write_input(&mut out, &7).unwrap();
/// assert_eq!(out, "# - input: 7\n");
/// ```
pub fn write_input<I: Serialize + ?Sized>(
    out: &mut String,
    input: &I,
) -> Result<(), serde_yaml::Error> {
    write_input_shaped(out, input).map(|_| ())
}

/// Appends the text of [`encode_input`] to `out`, and returns the input's shape when the
/// direct writer wrote it: a hash of everything in the value but its scalars (its types,
/// struct, field and variant names, sequence lengths, the kind of each scalar). The direct
/// writer writes scalars exactly (integers, shortest round-trip floats, plain strings), so
/// two inputs of one shape read back alike: proving one of them reads back exactly proves
/// the shape. `None` when serde_yaml wrote the input (a rarer shape, proved one by one).
pub(crate) fn write_input_shaped<I: Serialize + ?Sized>(
    out: &mut String,
    input: &I,
) -> Result<Option<u64>, serde_yaml::Error> {
    if let Some(shape) = fast::input_row(out, input) {
        return Ok(Some(shape));
    }
    out.push_str(&to_yaml(&[InputRow { input }])?);
    Ok(None)
}

/// Reads back an input written by [`encode_input`].
///
/// ```
/// let text = kaizen::snapshot::format::encode_input(&(3, "VIP".to_string())).unwrap();
/// let back: (i32, String) = kaizen::snapshot::format::decode_input(&text).unwrap();
/// assert_eq!(back, (3, "VIP".to_string()));
/// ```
pub fn decode_input<I: DeserializeOwned>(text: &str) -> Result<I, serde_yaml::Error> {
    let de = serde_yaml::Deserializer::from_str(text);
    let mut rows: Vec<InputRowOwned<I>> =
        serde_yaml::with::singleton_map_recursive::deserialize(de)?;
    match rows.pop() {
        Some(row) if rows.is_empty() => Ok(row.input),
        _ => Err(serde::de::Error::custom("expected exactly one case")),
    }
}

/// The text of a behaviour, indented to sit under its input: `  returned: 27\n`.
///
/// Fails when the behaviour does not serialize as a YAML mapping.
///
/// ```
/// use kaizen::jail::Outcome;
/// let text = kaizen::snapshot::format::encode_behaviour(&Outcome::Returned(27)).unwrap();
/// assert_eq!(text, "  returned: 27\n");
/// ```
pub fn encode_behaviour<B: Serialize>(behaviour: &B) -> Result<String, String> {
    let mut out = String::new();
    write_behaviour(&mut out, behaviour)?;
    Ok(out)
}

/// Appends the text of [`encode_behaviour`] to `out`.
pub fn write_behaviour<B: Serialize + ?Sized>(
    out: &mut String,
    behaviour: &B,
) -> Result<(), String> {
    if !fast::behaviour(out, behaviour) {
        out.push_str(&encode_behaviour_slow(behaviour)?);
    }
    Ok(())
}

/// Appends the text of [`encode_behaviour`] to `out` when the behaviour is of a common shape
/// that YAML provably holds exactly (what `exact::check_representable` accepts); returns
/// false, leaving `out` as it was, otherwise.
pub(crate) fn write_behaviour_exact<B: Serialize + ?Sized>(
    out: &mut String,
    behaviour: &B,
) -> bool {
    fast::behaviour(out, behaviour)
}

fn encode_behaviour_slow<B: Serialize + ?Sized>(behaviour: &B) -> Result<String, String> {
    let text = to_yaml(&[behaviour]).map_err(|e| e.to_string())?;
    let is_mapping = |first: &str| {
        !first.starts_with(['\'', '"', '[', '{', '|', '>', '!', '&', '*', '-', '?'])
            && (first.ends_with(':') || first.contains(": "))
    };
    match text.strip_prefix("- ") {
        Some(rest) if rest.lines().next().is_some_and(is_mapping) => Ok(format!("  {rest}")),
        _ => Err(format!(
            "a behaviour must serialize as a YAML mapping, not {text:?}"
        )),
    }
}

/// Splits `text` into lines the way YAML 1.1 does, each with its line break: `\n`, `\r\n`,
/// a lone `\r`, NEL (U+0085), LS (U+2028) and PS (U+2029) all end a line. The YAML emitter
/// writes LS and PS raw inside block scalars, so splitting on `\n` alone would cut a case in
/// two.
///
/// ```
/// let lines: Vec<&str> = kaizen::snapshot::format::yaml_lines("a\nb\u{2028}c\r\nd").collect();
/// assert_eq!(lines, ["a\n", "b\u{2028}", "c\r\n", "d"]);
/// ```
pub fn yaml_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
            None => rest.len(),
            Some(at) => {
                let c = rest[at..].chars().next().unwrap_or('\n');
                let mut end = at + c.len_utf8();
                if c == '\r' && rest[end..].starts_with('\n') {
                    end += 1;
                }
                end
            }
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// One case in a body, as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawCase<'a> {
    /// `- input: …\n` (everything up to the behaviour).
    pub input: &'a str,
    /// The behaviour lines, indented by two spaces.
    pub behaviour: &'a str,
    /// The 1-based line of the file where the case starts.
    pub line: usize,
}

/// A body line that does not fit the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Iterates over the cases of a body whose first line is line `first_line` of the file.
pub fn cases(body: &str, first_line: usize) -> Cases<'_> {
    Cases {
        rest: body,
        line: first_line,
    }
}

/// Iterator returned by [`cases`].
pub struct Cases<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Iterator for Cases<'a> {
    type Item = Result<RawCase<'a>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Skip blank lines and comments between cases; `[]` is an empty body.
        while !self.rest.starts_with("- ") {
            let first = yaml_lines(self.rest).next()?;
            let t = first.trim_end();
            if t.is_empty() || t.starts_with('#') || t == "[]" {
                self.rest = &self.rest[first.len()..];
                self.line += 1;
                continue;
            }
            break;
        }
        let start_line = self.line;
        let text = self.rest;
        if !(text.starts_with("- ") || text.starts_with("-\n")) {
            self.rest = "";
            return Some(Err(FormatError {
                line: start_line,
                message: "expected a case starting with `- input:`".into(),
            }));
        }
        // The case ends before the next line that starts at column 0 and is not blank.
        let b = text.as_bytes();
        let mut len = 0;
        let mut lines = 0;
        let mut behaviour_at = None;
        while len < b.len() {
            let end = line_end(text, len);
            let line = &b[len..end];
            if lines > 0 {
                if line[0] != b' ' && !is_blank(&text[len..end]) {
                    break;
                }
                if behaviour_at.is_none()
                    && line.len() > 2
                    && line[0] == b' '
                    && line[1] == b' '
                    && line[2] != b' '
                    && line[2] != b'-'
                {
                    behaviour_at = Some(len);
                }
            }
            len = end;
            lines += 1;
        }
        let case = &text[..len];
        self.rest = &text[len..];
        self.line += lines;
        Some(match behaviour_at {
            Some(at) if case.starts_with("- input:") => Ok(RawCase {
                input: &case[..at],
                behaviour: &case[at..],
                line: start_line,
            }),
            Some(_) => Err(FormatError {
                line: start_line,
                message: "a case must start with its `input:` key".into(),
            }),
            None => Err(FormatError {
                line: start_line,
                message: "this case has an input but no recorded behaviour (truncated?)".into(),
            }),
        })
    }
}

/// The end (after its line break) of the line of `text` that starts at `start`, where
/// line breaks are YAML's (see [`yaml_lines`]). Fast for the usual line that holds none of
/// the rare break characters.
fn line_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    // Most lines of a snapshot are short: one pass over their bytes costs less than setting
    // up two vector searches.
    for (k, &byte) in b[start..].iter().take(SHORT_LINE).enumerate() {
        match byte {
            b'\n' => return start + k + 1,
            b'\r' | 0xC2 | 0xE2 => return line_end_slow(text, start),
            _ => {}
        }
    }
    line_end_slow(text, start)
}

/// Lines up to this long are scanned byte by byte.
const SHORT_LINE: usize = 48;

fn line_end_slow(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let nl = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |k| start + k + 1);
    // `\r`, NEL (C2 85), LS and PS (E2 80 A8/A9) are the only other breaks.
    if memchr::memchr3(b'\r', 0xC2, 0xE2, &b[start..nl]).is_none() {
        return nl;
    }
    yaml_lines(&text[start..])
        .next()
        .map_or(b.len(), |l| start + l.len())
}

/// True when a line holds only whitespace (as `str::trim` sees it).
fn is_blank(line: &str) -> bool {
    let b = line.as_bytes();
    if b.is_ascii() {
        b.iter()
            .all(|c| matches!(c, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' '))
    } else {
        line.trim().is_empty()
    }
}

/// The input part of a case shown for people: the YAML value without the `- input:` key.
///
/// ```
/// let shown = kaizen::snapshot::format::display_input("- input:\n    qty: 3\n    code: VIP\n");
/// assert_eq!(shown, "qty: 3\ncode: VIP");
/// assert_eq!(kaizen::snapshot::format::display_input("- input: 7\n"), "7");
/// ```
pub fn display_input(input: &str) -> String {
    let rest = input.strip_prefix("- input:").unwrap_or(input);
    let mut out = String::new();
    if let Some(first) = rest.lines().next() {
        out.push_str(first.trim_start());
    }
    let body: Vec<&str> = rest.lines().skip(1).collect();
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    for line in body {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()));
    }
    out
}

/// The behaviour part of a case shown for people: dedented by the two spaces it carries,
/// with a program's output texts that lack a final newline marked ([`readable`]).
pub fn display_behaviour(behaviour: &str) -> String {
    let dedented = behaviour
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    readable::mark_missing_newlines(&dedented)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jail::Outcome;

    proptest::proptest! {
        /// The line scanner ends each line where YAML's line breaks end it.
        #[test]
        fn each_line_ends_where_yaml_ends_it(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["a", "  b: c", "\n", "\r", "\r\n", "\u{85}", "\u{2028}",
                    "\u{2029}", "é", "€", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"][..]),
                0..12,
            ),
            at in 0usize..4,
        ) {
            let text = pieces.concat();
            let starts: Vec<usize> = std::iter::once(0)
                .chain(yaml_lines(&text).scan(0, |end, l| { *end += l.len(); Some(*end) }))
                .filter(|&e| e < text.len())
                .collect();
            let start = starts[at % starts.len().max(1)..].first().copied().unwrap_or(0);
            if start < text.len() {
                let expected = start + yaml_lines(&text[start..]).next().map_or(0, str::len);
                proptest::prop_assert_eq!(line_end(&text, start), expected, "{:?}", text);
            }
        }
    }

    #[test]
    fn a_case_is_its_input_text_followed_by_its_behaviour_text() {
        let input = encode_input(&vec![("a b", 1)]).unwrap();
        let behaviour = encode_behaviour(&Outcome::Returned(vec!["x"; 2])).unwrap();
        let body = format!("{input}{behaviour}");
        let cases: Vec<_> = cases(&body, 10).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            cases,
            vec![RawCase {
                input: &input,
                behaviour: &behaviour,
                line: 10
            }]
        );
    }

    #[test]
    fn long_and_multiline_strings_stay_inside_their_case() {
        let long = "word ".repeat(60);
        let inputs = [
            long.clone(),
            format!("\"{long}\"\n{long}\t"),
            "line one\nline two\n".to_string(),
            "  leading\n\ttab\r\n".to_string(),
            "- not a case\n  returned: 3\n".to_string(),
            "line\n\u{2028}".to_string(),
            "x\ny\u{2029}z\u{85}".to_string(),
            "cr\r".to_string(),
        ];
        let mut body = String::new();
        for input in &inputs {
            body.push_str(&encode_input(input).unwrap());
            body.push_str(&encode_behaviour(&Outcome::Returned(input)).unwrap());
        }
        let cases: Vec<_> = cases(&body, 1).collect::<Result<_, _>>().unwrap();
        assert_eq!(cases.len(), inputs.len());
        for (case, input) in cases.iter().zip(&inputs) {
            assert_eq!(decode_input::<String>(case.input).unwrap(), *input);
            assert_eq!(
                case.behaviour,
                encode_behaviour(&Outcome::Returned(input)).unwrap()
            );
        }
    }

    #[test]
    fn a_case_without_behaviour_is_reported_with_its_line() {
        let body = "- input: 1\n  returned: 1\n- input: 2\n";
        let results: Vec<_> = cases(body, 5).collect();
        assert!(results[0].is_ok());
        let err = results[1].clone().unwrap_err();
        assert_eq!(err.line, 7);
        assert!(
            err.message.contains("no recorded behaviour"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_scalar_behaviour_is_refused() {
        assert!(encode_behaviour(&5).is_err());
    }
}
