//! The behaviour distribution of a jail: which kinds of behaviour its recorded cases end in,
//! and whether one kind dominates — "986 of 989 cases end in the same panic" means the inputs
//! mostly stop at one guard and the code behind it is not characterized.
//!
//! Fed by the recorded behaviours alone (no mutant is run). A behaviour's class is:
//! - a returned value by its shape: numbers by sign (`-n`, `0`, `+n`), strings as empty or
//!   not, booleans and enum variants (single-key maps) by value, lists as empty or by their
//!   first item's shape, structs by their fields' shapes;
//! - a panic by its message with every run of digits replaced by `#` (so "the len is 6 but
//!   the index is 7" and "… is 9" are one class);
//! - a timeout; an exit or a crash by its code or signal; a program by its exit code.

mod one_line;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde_yaml::Value;

use crate::snapshot::BehaviourNote;
use crate::snapshot::digest::Prehashed;
use crate::snapshot::format::display_input;

/// A stop (panic, timeout, exit, crash) holding at least this share of the cases is said to
/// dominate.
pub const DOMINANT_SHARE: f64 = 0.5;
/// Fewer cases than this are never said to be dominated: too few to mean anything.
pub const MIN_CASES: usize = 10;

/// One class of behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// What the cases in it do: `returned +n`, `panicked: index out of bounds: …`.
    pub key: String,
    /// How many cases.
    pub count: usize,
    /// The first two inputs (as one line each) that end in it.
    pub examples: Vec<String>,
    /// True for a stop (panic, timeout, exit, crash, a program's non-zero exit).
    pub stop: bool,
}

/// The classes of a jail's cases, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Distribution {
    /// Every case observed.
    pub cases: usize,
    /// The classes, largest first (ties in order of first appearance).
    pub classes: Vec<Class>,
}

/// Collects behaviours into classes.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    cases: usize,
    /// Each class's key to its place in `classes` (hashed a word at a time: one lookup a case).
    index: HashMap<String, usize, BuildHasherDefault<Prehashed>>,
    classes: Vec<Class>,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Observes one case: its input text (`- input: …`) and behaviour text (`  returned: …`).
    pub fn observe(&mut self, input: &str, behaviour: &str) {
        self.cases += 1;
        let (key, stop) = class_of(behaviour);
        let at = match self.index.get(key.as_ref()) {
            Some(&at) => at,
            None => {
                let key = key.into_owned();
                self.index.insert(key.clone(), self.classes.len());
                self.classes.push(Class {
                    key,
                    count: 0,
                    examples: Vec::new(),
                    stop,
                });
                self.classes.len() - 1
            }
        };
        let class = &mut self.classes[at];
        class.count += 1;
        if class.examples.len() < 2 {
            class.examples.push(compact_input(input));
        }
    }

    /// Adds the classes of another part of the same jail's cases (a shard).
    pub fn absorb(&mut self, part: Distribution) {
        self.cases += part.cases;
        for class in part.classes {
            match self.index.get(&class.key) {
                Some(&at) => {
                    let mine = &mut self.classes[at];
                    mine.count += class.count;
                    let room = 2usize.saturating_sub(mine.examples.len());
                    mine.examples.extend(class.examples.into_iter().take(room));
                }
                None => {
                    self.index.insert(class.key.clone(), self.classes.len());
                    self.classes.push(class);
                }
            }
        }
    }

    /// The distribution so far, leaving the tally as it is.
    pub fn current(&self) -> Distribution {
        self.clone().finish()
    }

    /// The distribution so far.
    pub fn finish(self) -> Distribution {
        let mut classes = self.classes;
        classes.sort_by_key(|c| std::cmp::Reverse(c.count));
        Distribution {
            cases: self.cases,
            classes,
        }
    }
}

impl Distribution {
    /// The distribution of `(input, behaviour)` texts.
    pub fn of<'a>(cases: impl IntoIterator<Item = (&'a str, &'a str)>) -> Distribution {
        let mut tally = Tally::new();
        for (input, behaviour) in cases {
            tally.observe(input, behaviour);
        }
        tally.finish()
    }

    /// The largest class, if any.
    pub fn largest(&self) -> Option<&Class> {
        self.classes.first()
    }

    /// The largest class when it is a stop holding at least [`DOMINANT_SHARE`] of at least
    /// [`MIN_CASES`] cases.
    pub fn dominant(&self) -> Option<&Class> {
        let largest = self.largest()?;
        let share = largest.count as f64 / self.cases as f64;
        (self.cases >= MIN_CASES && largest.stop && share >= DOMINANT_SHARE).then_some(largest)
    }

    /// One line: `7 behaviour classes; the largest, returned +n, holds 40% (86 of 215)`.
    pub fn summary(&self) -> String {
        let Some(largest) = self.largest() else {
            return "no cases".into();
        };
        let n = self.classes.len();
        format!(
            "{n} behaviour class{}; the largest, {}, holds {} ({} of {})",
            if n == 1 { "" } else { "es" },
            largest.key,
            share(largest.count, self.cases),
            largest.count,
            self.cases
        )
    }

    /// What a snapshot header says when a stop dominates (`None` otherwise).
    pub fn note(&self) -> Option<BehaviourNote> {
        let class = self.dominant()?;
        Some(BehaviourNote {
            classes: self.classes.len(),
            largest: class.key.clone(),
            largest_cases: class.count,
            examples: class.examples.clone(),
        })
    }

    /// The warning when a stop dominates, with two example inputs.
    pub fn warning(&self) -> Option<String> {
        let class = self.dominant()?;
        Some(format!(
            "{} of {} cases end in the same {}: {} (e.g. {}) — your inputs mostly stop at one \
             guard; the code behind it is not characterized",
            class.count,
            self.cases,
            stop_noun(&class.key),
            class.key,
            class.examples.join("; ")
        ))
    }
}

fn share(count: usize, of: usize) -> String {
    let percent = 100.0 * count as f64 / of.max(1) as f64;
    let text = format!("{percent:.1}");
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

fn stop_noun(key: &str) -> &'static str {
    match key.split([':', ' ']).next().unwrap_or("") {
        "panicked" => "panic",
        "timeout" => "timeout",
        "crashed" | "signal" => "crash",
        _ => "exit",
    }
}

/// An input on one line: its value as flow JSON (`[7,1]`), else its YAML text joined.
pub fn compact_input(input: &str) -> String {
    let value = serde_yaml::from_str::<Value>(input.strip_prefix("- input:").unwrap_or(input));
    match value.ok().and_then(|v| serde_json::to_string(&v).ok()) {
        Some(json) => one_line(&json),
        None => one_line(&display_input(input)),
    }
}

fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 80 {
        let cut: String = joined.chars().take(77).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

/// The class of one behaviour text, and whether it is a stop.
pub fn classify(behaviour: &str) -> (String, bool) {
    let (key, stop) = class_of(behaviour);
    (key.into_owned(), stop)
}

/// [`classify`] without a copy of the common classes' names.
fn class_of(behaviour: &str) -> (Cow<'static, str>, bool) {
    match one_line::classify_line(behaviour) {
        Some(fast) => fast,
        None => {
            let (key, stop) = parsed_class(behaviour);
            (Cow::Owned(key), stop)
        }
    }
}

/// The class of a behaviour the one-line reading leaves to the YAML parser.
fn parsed_class(behaviour: &str) -> (String, bool) {
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(behaviour) else {
        return (format!("unreadable: {}", one_line(behaviour)), false);
    };
    let get = |key: &str| map.get(key);
    if let Some(value) = get("returned") {
        return (format!("returned {}", shape(value, 0)), false);
    }
    if let Some(value) = get("panicked") {
        return (
            format!("panicked: {}", digits_as_hash(&scalar(value))),
            true,
        );
    }
    if get("timeout").is_some() {
        return ("timeout".into(), true);
    }
    for key in ["exited", "crashed", "signal"] {
        if let Some(value) = get(key) {
            return (format!("{key} {}", one_line(&scalar(value))), true);
        }
    }
    if let Some(code) = get("exit") {
        let code = scalar(code);
        let stop = code != "0";
        return (format!("exit {code}"), stop);
    }
    let keys: Vec<String> = map.keys().map(scalar).collect();
    (keys.join(", "), false)
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => one_line(&serde_yaml::to_string(other).unwrap_or_default()),
    }
}

fn digits_as_hash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    one_line(&out)
}

/// The shape of a returned value (see the module docs).
fn shape(value: &Value, depth: usize) -> String {
    if depth > 3 {
        return "…".into();
    }
    match value {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            if x.is_nan() {
                "NaN".into()
            } else if x > 0.0 {
                "+n".into()
            } else if x < 0.0 {
                "-n".into()
            } else {
                "0".into()
            }
        }
        Value::String(s) if s.is_empty() => "''".into(),
        Value::String(_) => "text".into(),
        Value::Sequence(items) => match items.first() {
            None => "[]".into(),
            Some(first) => format!("[{}, …]", shape(first, depth + 1)),
        },
        Value::Mapping(map) if map.len() == 1 => {
            let (k, v) = map.iter().next().expect("one entry");
            format!("{}({})", scalar(k), shape(v, depth + 1))
        }
        Value::Mapping(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), shape(v, depth + 1)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Tagged(tagged) => format!("{}({})", tagged.tag, shape(&tagged.value, depth + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returned_numbers_are_classed_by_sign_and_panics_by_message_pattern() {
        assert_eq!(classify("  returned: 499\n"), ("returned +n".into(), false));
        assert_eq!(classify("  returned: -3\n"), ("returned -n".into(), false));
        assert_eq!(classify("  returned: 0\n"), ("returned 0".into(), false));
        let a = classify("  panicked: 'index out of bounds: the len is 6 but the index is 7'\n");
        let b = classify("  panicked: 'index out of bounds: the len is 6 but the index is 12'\n");
        assert_eq!(a, b);
        assert_eq!(
            a.0,
            "panicked: index out of bounds: the len is # but the index is #"
        );
        assert!(a.1);
    }

    #[test]
    fn enum_variants_and_struct_fields_make_their_own_classes() {
        let ok = classify("  returned:\n    Ok: 12\n").0;
        let err = classify("  returned:\n    Err: bad dice\n").0;
        assert_eq!(ok, "returned Ok(+n)");
        assert_eq!(err, "returned Err(text)");
        let s = classify("  returned:\n    total: 0\n    label: ''\n").0;
        assert_eq!(s, "returned {total: 0, label: ''}");
    }

    #[test]
    fn timeouts_exits_and_programs_are_stops_but_a_clean_exit_is_not() {
        assert!(classify("  timeout: 2s\n").1);
        assert_eq!(classify("  exited: 3\n"), ("exited 3".into(), true));
        assert_eq!(
            classify("  exit: 0\n  stdout: hi\n"),
            ("exit 0".into(), false)
        );
        assert_eq!(
            classify("  exit: 2\n  stderr: no\n"),
            ("exit 2".into(), true)
        );
    }

    #[test]
    fn a_panic_holding_most_cases_is_reported_with_two_example_inputs() {
        let mut cases = Vec::new();
        for die in 7..993 {
            cases.push((
                format!("- input:\n  - {die}\n  - 1\n"),
                format!("  panicked: 'index out of bounds: the len is 6 but the index is {die}'\n"),
            ));
        }
        for die in 1..4 {
            cases.push((
                format!("- input:\n  - {die}\n  - 1\n"),
                format!("  returned: {die}\n"),
            ));
        }
        let d = Distribution::of(cases.iter().map(|(i, b)| (i.as_str(), b.as_str())));
        assert_eq!(d.cases, 989);
        assert_eq!(d.classes.len(), 2);
        let warning = d.warning().expect("dominated");
        assert!(
            warning.starts_with(
                "986 of 989 cases end in the same panic: panicked: index out of bounds"
            ),
            "{warning}"
        );
        assert!(warning.contains("(e.g. [7,1]; [8,1])"), "{warning}");
        assert!(
            d.summary().contains("holds 99.7% (986 of 989)"),
            "{}",
            d.summary()
        );
    }

    #[test]
    fn a_jail_whose_cases_all_return_is_not_dominated() {
        let cases: Vec<(String, String)> = (0..50)
            .map(|n| (format!("- input: {n}\n"), format!("  returned: {n}\n")))
            .collect();
        let d = Distribution::of(cases.iter().map(|(i, b)| (i.as_str(), b.as_str())));
        assert_eq!(d.classes.len(), 2, "{d:?}");
        assert_eq!(d.warning(), None);
    }

    #[test]
    fn two_parts_of_one_jail_add_up_to_the_whole() {
        let case = |n: i32| (format!("- input: {n}\n"), format!("  returned: {n}\n"));
        let cases: Vec<_> = (-5..20).map(case).collect();
        let all = Distribution::of(cases.iter().map(|(i, b)| (i.as_str(), b.as_str())));
        let mut first = Tally::new();
        for (i, b) in &cases[..10] {
            first.observe(i, b);
        }
        let mut second = Tally::new();
        for (i, b) in &cases[10..] {
            second.observe(i, b);
        }
        first.absorb(second.finish());
        assert_eq!(first.finish(), all);
    }

    #[test]
    fn a_header_note_is_made_only_when_a_stop_dominates() {
        let panics: Vec<(String, String)> = (0..12)
            .map(|n| {
                (
                    format!("- input: {n}\n"),
                    "  panicked: bad die\n".to_string(),
                )
            })
            .collect();
        let d = Distribution::of(panics.iter().map(|(i, b)| (i.as_str(), b.as_str())));
        let note = d.note().expect("dominated");
        assert_eq!(
            (note.classes, note.largest.as_str(), note.largest_cases),
            (1, "panicked: bad die", 12)
        );
        assert_eq!(note.examples, vec!["0".to_string(), "1".to_string()]);
        let fine = Distribution::of([("- input: 1\n", "  returned: 1\n")]);
        assert_eq!(fine.note(), None);
    }

    #[test]
    fn few_cases_are_never_said_to_be_dominated() {
        let d = Distribution::of([("- input: 1\n", "  panicked: no\n")]);
        assert_eq!(d.warning(), None);
    }
}
