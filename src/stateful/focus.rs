//! Where two traces of one sequence part: the first step that changed, named for people, and
//! the input and traces cut down to the steps around it.
//!
//! Works on the texts a report shows (the input and the two behaviours as YAML), so it
//! needs no types: a report of a 400-step case shows the changed step, its operation, what
//! each side did there, and a few steps on either side — never the whole sequence.

use serde_yaml::Value;

use crate::jail::{Focus, Shown};

/// Operations listed in full; a longer sequence is cut around the changed step.
const LISTED_OPS: usize = 12;
/// Operations shown before the changed step, and after it, in a cut sequence.
const OPS_BEFORE: usize = 4;
const OPS_AFTER: usize = 1;
/// Trace entries shown in full; a longer trace is cut around the changed step.
const LISTED_ENTRIES: usize = 6;
/// Entries shown before the changed one, and after it, in a cut trace.
const ENTRIES_BEFORE: usize = 1;
const ENTRIES_AFTER: usize = 2;

/// The focus of a difference between two traces of one sequence, or `None` when the texts
/// are not a sequence and two traces (a timeout, a crash: the whole case changed).
pub(crate) fn focus(shown: &Shown<'_>) -> Option<Focus> {
    let (expected, actual, sides) = (shown.expected, shown.actual, shown.sides);
    let input: Value = serde_yaml::from_str(shown.input).ok()?;
    let ops = input.get("ops")?.as_sequence()?;
    let before = trace_entries(expected)?;
    let after = trace_entries(actual)?;
    let at = (0..before.len().max(after.len())).find(|&i| before.get(i) != after.get(i))?;
    let step = before
        .get(at)
        .or(after.get(at))
        .and_then(|e| e.get("step"))
        .and_then(Value::as_u64)
        .map_or(at + 1, |n| n as usize);
    let operation = match step {
        0 => format!("building the object from {}", compact(input.get("new")?)),
        n => operation(ops.get(n - 1)?),
    };
    let headline = format!(
        "step {step} of {}: {operation} — {} {}, {} {}",
        ops.len(),
        sides.0,
        side(before.get(at), after.get(at)),
        sides.1,
        side(after.get(at), before.get(at)),
    );
    Some(Focus {
        headline,
        input: list_input(&input, ops, step),
        first_input: shown.first_input.map(|first| {
            let listed = serde_yaml::from_str::<Value>(first).ok();
            let ops = listed.as_ref().and_then(|v| v.get("ops")?.as_sequence());
            match (&listed, ops) {
                // The first failing input, from its start: where it differed is not known.
                (Some(value), Some(ops)) => list_input(value, ops, OPS_BEFORE + 1),
                _ => first.to_string(),
            }
        }),
        expected: cut_trace(expected, at),
        actual: cut_trace(actual, at),
    })
}

/// The entries of a trace shown as `returned:` and a list, or `None` for another behaviour.
fn trace_entries(behaviour: &str) -> Option<Vec<Value>> {
    let value: Value = serde_yaml::from_str(behaviour).ok()?;
    let map = value.as_mapping()?;
    if map.len() != 1 {
        return None;
    }
    Some(map.get("returned")?.as_sequence()?.clone())
}

/// What one side did at the changed step, compared with the other side.
fn side(entry: Option<&Value>, other: Option<&Value>) -> String {
    let Some(entry) = entry else {
        return "not run".into();
    };
    if entry.get("not_run_after_panic").is_some() {
        return "not run (an earlier step panicked)".into();
    }
    if let Some(message) = entry.get("panicked") {
        return format!("panicked {}", compact(message));
    }
    let returned = entry.get("returned");
    let same_outcome = other.is_some_and(|o| o.get("returned") == returned);
    match (entry.get("state"), same_outcome) {
        (Some(state), true) => format!("state {}", compact(state)),
        _ => returned.map_or_else(|| "nothing".into(), compact),
    }
}

/// An operation as a call: `WonPoint("player1")`, `Scan("MILK", 2)`, `Total`.
fn operation(op: &Value) -> String {
    match op {
        Value::Mapping(map) if map.len() == 1 => {
            let (name, args) = map.iter().next().expect("one entry");
            let name = name.as_str().map_or_else(|| compact(name), str::to_string);
            match args {
                Value::Sequence(items) => {
                    let items: Vec<String> = items.iter().map(compact).collect();
                    format!("{name}({})", items.join(", "))
                }
                Value::Mapping(_) => format!("{name} {}", compact(args)),
                other => format!("{name}({})", compact(other)),
            }
        }
        Value::String(unit) => unit.clone(),
        other => compact(other),
    }
}

/// A value on one line: strings quoted, lists in brackets, maps in braces.
fn compact(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(map) if map.len() == 1 => operation(value),
        Value::Mapping(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let key = k.as_str().map_or_else(|| compact(k), str::to_string);
                    format!("{key}: {}", compact(v))
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Tagged(tagged) => compact(&tagged.value),
    }
}

/// The input as a numbered list of calls; a long one cut around `step`.
fn list_input(input: &Value, ops: &[Value], step: usize) -> String {
    let new = input.get("new").map_or_else(|| "null".into(), compact);
    let total = ops.len();
    let (from, to) = if total <= LISTED_OPS {
        (1, total)
    } else {
        let from = step.saturating_sub(OPS_BEFORE).max(1);
        (from, (step + OPS_AFTER).min(total).max(from))
    };
    let mut out = format!("new: {new}\nops:");
    if from > 1 {
        out.push_str(&format!("\n  … steps 1 to {} not shown", from - 1));
    }
    for (i, op) in ops.iter().enumerate().take(to).skip(from - 1) {
        out.push_str(&format!("\n  {}: {}", i + 1, operation(op)));
    }
    if to < total {
        out.push_str(&format!("\n  … steps {} to {total} not shown", to + 1));
    }
    out
}

/// A trace's text cut to the entries around entry `at` (0-based), with a line saying what
/// was left out on either side.
fn cut_trace(behaviour: &str, at: usize) -> String {
    let mut lines = behaviour.lines();
    let head = lines.next().unwrap_or_default();
    let mut entries: Vec<Vec<&str>> = Vec::new();
    for line in lines {
        match entries.last_mut() {
            Some(entry) if !line.starts_with("- ") => entry.push(line),
            _ => entries.push(vec![line]),
        }
    }
    if entries.len() <= LISTED_ENTRIES {
        return behaviour.to_string();
    }
    let from = at.saturating_sub(ENTRIES_BEFORE);
    let to = (at + ENTRIES_AFTER + 1).min(entries.len());
    let mut out = vec![head.to_string()];
    if from > 0 {
        out.push(format!("# … {from} earlier entries not shown"));
    }
    for entry in entries.iter().take(to).skip(from) {
        out.extend(entry.iter().map(|l| l.to_string()));
    }
    if to < entries.len() {
        out.push(format!(
            "# … {} later entries not shown",
            entries.len() - to
        ));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(scores: &[&str]) -> String {
        let mut out = String::from("returned:");
        for (i, s) in scores.iter().enumerate() {
            out.push_str(&format!(
                "\n- step: {}\n  returned: null\n  state: {s}",
                i + 1
            ));
        }
        out
    }

    fn points(n: usize) -> String {
        let mut out = String::from("new:\n- player1\n- player2\nops:");
        for i in 0..n {
            out.push_str(&format!("\n- WonPoint: player{}", 1 + i % 2));
        }
        out
    }

    fn focus(input: &str, expected: &str, actual: &str, sides: (&str, &str)) -> Option<Focus> {
        super::focus(&Shown {
            input,
            first_input: None,
            expected,
            actual,
            sides,
        })
    }

    #[test]
    fn the_headline_names_the_first_changed_step_its_call_and_both_sides() {
        let before = trace(&["Fifteen-Love", "Fifteen-Fifteen", "Thirty-Fifteen"]);
        let after = trace(&["Fifteen-Love", "Fifteen-Fifteen", "Deuce"]);
        let f = focus(&points(3), &before, &after, ("recorded", "now")).unwrap();
        assert_eq!(
            f.headline,
            "step 3 of 3: WonPoint(\"player1\") — recorded state \"Thirty-Fifteen\", now state \"Deuce\""
        );
        assert_eq!(
            f.input,
            "new: [\"player1\", \"player2\"]\nops:\n  1: WonPoint(\"player1\")\n  \
             2: WonPoint(\"player2\")\n  3: WonPoint(\"player1\")"
        );
        assert_eq!(f.expected, before, "a short trace is shown whole");
    }

    #[test]
    fn a_long_sequence_is_cut_around_the_changed_step() {
        let scores: Vec<String> = (0..400).map(|i| format!("s{i}")).collect();
        let mut changed = scores.clone();
        changed[199] = "other".into();
        let as_refs = |v: &[String]| v.iter().map(String::as_str).collect::<Vec<_>>().join(",");
        let (before, after) = (
            trace(&as_refs(&scores).split(',').collect::<Vec<_>>()),
            trace(&as_refs(&changed).split(',').collect::<Vec<_>>()),
        );
        let f = focus(&points(400), &before, &after, ("original", "refactored")).unwrap();
        assert!(f.headline.starts_with("step 200 of 400: WonPoint(\"player2\") — original state \"s199\", refactored state \"other\""), "{}", f.headline);
        assert!(f.input.lines().count() <= 10, "{}", f.input);
        assert!(
            f.input.contains("  … steps 1 to 195 not shown\n  196: "),
            "{}",
            f.input
        );
        assert!(
            f.input
                .ends_with("  201: WonPoint(\"player1\")\n  … steps 202 to 400 not shown"),
            "{}",
            f.input
        );
        assert!(f.actual.lines().count() <= 16, "{}", f.actual);
        assert!(
            f.actual
                .contains("# … 198 earlier entries not shown\n- step: 199\n"),
            "{}",
            f.actual
        );
        assert!(
            f.actual.ends_with("# … 198 later entries not shown"),
            "{}",
            f.actual
        );
    }

    #[test]
    fn a_panic_that_appeared_is_named_at_its_step() {
        let before = "returned:\n- step: 1\n  returned:\n    Price: 80\n- step: 2\n  returned:\n    Total: 80";
        let after = "returned:\n- step: 1\n  returned:\n    Price: 80\n- step: 2\n  panicked: boom";
        let input = "new: OUTLET\nops:\n- Scan:\n  - APPLE\n  - 2\n- Total";
        let f = focus(input, before, after, ("recorded", "now")).unwrap();
        assert_eq!(
            f.headline,
            "step 2 of 2: Total — recorded Total(80), now panicked \"boom\""
        );
    }

    #[test]
    fn a_behaviour_that_is_not_a_trace_has_no_focus() {
        assert!(focus(&points(2), "timeout: 2s", &trace(&["a", "b"]), ("a", "b")).is_none());
        assert!(focus("- 1\n- 2", "returned: 3", "returned: 4", ("a", "b")).is_none());
    }
}
