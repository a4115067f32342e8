//! The recorder: turns cases into encoded inputs (dropping duplicates) and runs them
//! through a jail, in parallel when asked, keeping the cases' order.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::cases::{Case, Origin};
use crate::jail::{Behaviour, Jailed};
use crate::snapshot::digest::{self, Prehashed};
use crate::snapshot::{exact, format};

/// An input ready to run: the value, its snapshot text and where it came from.
#[derive(Debug, Clone)]
pub struct Prepared<I> {
    /// The input value.
    pub input: I,
    /// Its text in a snapshot (`- input: …\n`).
    pub text: String,
    /// Its source.
    pub origin: Origin,
    /// Its shape, when the direct writer wrote it (see [`format::write_input_shaped`]).
    pub(crate) shape: Option<u64>,
    /// Its position among the cases prepared.
    pub(crate) at: usize,
}

/// What the jail did with one input, encoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    /// The behaviour's snapshot text (`  returned: …\n`).
    pub text: String,
    /// Its label (`returned`, `panicked`, `exit 2`, …).
    pub label: String,
}

/// Encodes every case's input and drops inputs already seen (the first source wins).
///
/// Only inputs equal as values are merged: two inputs whose texts are the same but whose
/// values differ (`None` and `Some(None)`, `NaN` and `-NaN`) cannot both be recorded, and
/// are refused naming both cases.
///
/// ```
/// use kaizen::{Cases, record::prepare};
/// let cases = Cases::new().list([1, 2]).combinations(vec![2, 3]).generate();
/// let prepared = prepare("demo", cases).unwrap();
/// let inputs: Vec<i32> = prepared.iter().map(|p| p.input).collect();
/// assert_eq!(inputs, vec![1, 2, 3]);
/// ```
pub fn prepare<I: Serialize>(jail: &str, cases: Vec<Case<I>>) -> Result<Vec<Prepared<I>>, Error> {
    let kept: Vec<(usize, String, Option<u64>)> =
        prepare_each(jail, cases.iter().map(|c| (&c.input, c.origin.clone())))?
            .into_iter()
            .map(|p| (p.at, p.text, p.shape))
            .collect();
    let mut kept = kept.into_iter().peekable();
    let mut out = Vec::with_capacity(kept.len());
    for (at, case) in cases.into_iter().enumerate() {
        if let Some((_, text, shape)) = kept.next_if(|p| p.0 == at) {
            out.push(Prepared {
                input: case.input,
                text,
                origin: case.origin,
                shape,
                at,
            });
        }
    }
    Ok(out)
}

/// [`prepare`] over inputs read where they are: each kept one refers to its input.
pub(crate) fn prepare_each<'a, I: Serialize + 'a>(
    jail: &str,
    cases: impl ExactSizeIterator<Item = (&'a I, Origin)>,
) -> Result<Vec<Prepared<&'a I>>, Error> {
    // Inputs by the hash of their text; texts of equal hash but different text (rare) are
    // kept apart in `other`.
    let mut first: HashMap<u64, usize, BuildHasherDefault<Prehashed>> =
        HashMap::with_capacity_and_hasher(cases.len(), Default::default());
    let mut other: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Prepared<&I>> = Vec::with_capacity(cases.len());
    for (at, (input, origin)) in cases.enumerate() {
        let mut text = String::new();
        let shape = format::write_input_shaped(&mut text, input)
            .map_err(|e| unrepresentable(jail, &origin, &e))?;
        let earlier = match first.entry(digest::hash(&text)) {
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                None
            }
            Entry::Occupied(slot) if out[*slot.get()].text == text => Some(*slot.get()),
            Entry::Occupied(_) => match other.get(&text) {
                Some(&i) => Some(i),
                None => {
                    other.insert(text.clone(), out.len());
                    None
                }
            },
        };
        match earlier {
            Some(i) => {
                let e = &out[i];
                same_value_as(jail, (e.input, &e.text, &e.origin), (input, &origin))?
            }
            None => out.push(Prepared {
                input,
                text,
                origin,
                shape,
                at,
            }),
        }
    }
    Ok(out)
}

/// Accepts an input as a duplicate of an earlier one whose text it has — given by their
/// parts: value, text and origin, and value and origin — only when the two are equal as
/// values: serde sees them identically.
pub(crate) fn same_value_as<I: Serialize + ?Sized>(
    jail: &str,
    (input, text, origin): (&I, &str, &Origin),
    (again, again_origin): (&I, &Origin),
) -> Result<(), Error> {
    let (a, b) = (exact::fingerprint(input), exact::fingerprint(again));
    if a.is_ok() && a == b {
        return Ok(());
    }
    Err(Error::Unrepresentable {
        jail: jail.to_string(),
        case: format!("{origin} and case {again_origin}"),
        message: format!(
            "two different inputs are written alike, so one of them reads back from YAML as a different value:\n{}",
            format::display_input(text)
        ),
        hint: "use plain structs, enums, options, sequences, maps, numbers and strings in the input type (wrap an inner Option in an enum or a struct with a field; keep a NaN's sign in an integer)".into(),
    })
}

/// Proves that every input survives the trip through the snapshot exactly: it is read back
/// from its text and compared with the original, field by field, through serde. Run before
/// a snapshot is written, so no snapshot ever holds an input that would replay differently.
///
/// Reading back is the costly part (a YAML parser per input), so it is done once per
/// input *shape* for the inputs the direct writer wrote (see
/// [`format::write_input_shaped`]): those differ from a proven input of their shape only in
/// scalars that are written exactly. Every input serde_yaml wrote is read back on its own.
pub fn check_round_trip<I: Serialize + DeserializeOwned>(
    jail: &str,
    prepared: &[Prepared<I>],
) -> Result<(), Error> {
    check_round_trip_each(
        jail,
        prepared
            .iter()
            .map(|p| (&p.input, p.text.as_str(), p.shape, &p.origin)),
    )
}

/// [`check_round_trip`] over inputs given by their parts: value, text, shape and origin.
pub(crate) fn check_round_trip_each<'a, I: Serialize + DeserializeOwned + 'a>(
    jail: &str,
    inputs: impl Iterator<Item = (&'a I, &'a str, Option<u64>, &'a Origin)>,
) -> Result<(), Error> {
    let mut proof = RoundTrip::default();
    for (input, text, shape, origin) in inputs {
        proof.check(jail, input, text, shape, origin)?;
    }
    Ok(())
}

/// The round-trip check one input at a time, remembering the shapes proven so far.
#[derive(Default)]
pub(crate) struct RoundTrip {
    proven: HashSet<u64, BuildHasherDefault<Prehashed>>,
}

impl RoundTrip {
    /// Is an input of this shape proven already?
    pub(crate) fn knows(&self, shape: Option<u64>) -> bool {
        shape.is_some_and(|shape| self.proven.contains(&shape))
    }

    /// Proves that `input`, written as `text`, reads back exactly (see
    /// [`check_round_trip`]); an input of a shape already proven passes at once.
    pub(crate) fn check<I: Serialize + DeserializeOwned>(
        &mut self,
        jail: &str,
        input: &I,
        text: &str,
        shape: Option<u64>,
        origin: &Origin,
    ) -> Result<(), Error> {
        if self.knows(shape) {
            return Ok(());
        }
        reads_back_exactly(jail, input, text, origin)?;
        if let Some(shape) = shape {
            self.proven.insert(shape);
        }
        Ok(())
    }
}

/// Reads one input back from its text and compares it with the original.
fn reads_back_exactly<I: Serialize + DeserializeOwned>(
    jail: &str,
    input: &I,
    text: &str,
    origin: &Origin,
) -> Result<(), Error> {
    let refuse = |problem: String, workaround: String| Error::Unrepresentable {
        jail: jail.to_string(),
        case: origin.to_string(),
        message: problem,
        hint: workaround,
    };
    exact::check_representable_as("input", input)
        .map_err(|e| refuse(format!("{} at {}", e.problem, e.path), e.workaround))?;
    let back: I = format::decode_input(text).map_err(|e| {
        refuse(
            format!("the input does not read back from YAML: {e}"),
            "report this input type as a kaizen bug".into(),
        )
    })?;
    let (a, b) = (exact::fingerprint(input), exact::fingerprint(&back));
    if a.is_err() || a != b {
        return Err(refuse(
            format!("the input reads back from YAML as a different value:\n{}", format::display_input(text)),
            "use plain structs, enums, options, sequences, maps, numbers and strings in the input type".into(),
        ));
    }
    Ok(())
}

pub(crate) fn unrepresentable(jail: &str, origin: &Origin, e: &serde_yaml::Error) -> Error {
    let message = e.to_string();
    let hint = if message.contains("bytes") {
        "serde bytes (serde_bytes, #[serde(with = \"serde_bytes\")]) cannot be stored; use a plain Vec<u8> field"
    } else {
        "make the input type serializable as YAML (plain structs, enums, maps, sequences, numbers and strings)"
    };
    Error::Unrepresentable {
        jail: jail.to_string(),
        case: origin.to_string(),
        message: format!("the input cannot be written as YAML: {message}"),
        hint: hint.to_string(),
    }
}

/// Runs `jail` on one input and appends the text of what it did to `out` (as
/// [`format::encode_behaviour`] writes it). Returns the behaviour, for its label.
///
/// Fails, leaving `out` as it was, when the behaviour cannot be stored exactly.
pub(crate) fn observe_into<J: Jailed>(
    jail: &J,
    input: &J::Input,
    out: &mut String,
) -> Result<J::Behaviour, Error> {
    let behaviour = jail.try_run(input)?;
    let start = out.len();
    encode_exactly(jail, input, &behaviour, out)?;
    if let Some(redactions) = jail.redactions() {
        let redacted = redactions
            .apply(&out[start..])
            .map_err(|message| Error::Config {
                message: format!("jail {}: {message}", jail.name()),
                hint: "change the jail's redactions".into(),
            })?;
        if let Some(text) = redacted {
            out.truncate(start);
            out.push_str(&text);
        }
    }
    Ok(behaviour)
}

/// Appends the exact text of `behaviour` to `out`, or fails leaving `out` as it was.
fn encode_exactly<J: Jailed>(
    jail: &J,
    input: &J::Input,
    behaviour: &J::Behaviour,
    out: &mut String,
) -> Result<(), Error> {
    // Common behaviours are written and proved exact in one pass.
    if format::write_behaviour_exact(out, behaviour) {
        return Ok(());
    }
    if let Err(e) = exact::check_representable_as("outcome", behaviour) {
        let input = format::encode_input(input)
            .map(|t| format::display_input(&t))
            .unwrap_or_default();
        return Err(Error::Unrepresentable {
            jail: jail.name().to_string(),
            case: format!("with input {input}"),
            message: format!(
                "the outcome cannot be stored exactly: {} at {}",
                e.problem, e.path
            ),
            hint: e.workaround,
        });
    }
    format::write_behaviour(out, behaviour).map_err(|message| Error::Internal {
        message: format!("jail {}: {message}", jail.name()),
    })
}

/// Runs `jail` on every input, on `jobs` threads, and encodes what it did. Results keep the
/// inputs' order whatever the number of threads. `tick` is called once per finished case.
pub fn run_all<J: Jailed>(
    jail: &J,
    inputs: &[&J::Input],
    jobs: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Observed>, Error> {
    let observe = |input: &J::Input| -> Result<Observed, Error> {
        let mut text = String::new();
        let behaviour = observe_into(jail, input, &mut text)?;
        let label = behaviour.label().into_owned();
        tick();
        Ok(Observed { text, label })
    };
    let jobs = jobs.clamp(1, inputs.len().max(1));
    if jobs == 1 {
        return inputs.iter().map(|input| observe(input)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, Result<Observed, Error>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        done.push((i, observe(input)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut slots: Vec<Option<Result<Observed, Error>>> = (0..inputs.len()).map(|_| None).collect();
    for part in parts.iter_mut() {
        for (i, result) in part.drain(..) {
            slots[i] = Some(result);
        }
    }
    slots
        .into_iter()
        .map(|slot| {
            slot.unwrap_or_else(|| {
                Err(Error::Internal {
                    message: "a worker thread stopped before its case finished".into(),
                })
            })
        })
        .collect()
}

/// Runs every input `runs - 1` more times and compares with the `first` observations:
/// a case whose behaviour differs between runs is refused (nondeterminism detection).
pub fn check_stable<J: Jailed>(
    jail: &J,
    inputs: &[&J::Input],
    first: &[Observed],
    runs: usize,
    jobs: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<(), Error> {
    let mut stability = Stability::default();
    let first: Vec<&str> = first.iter().map(|o| o.text.as_str()).collect();
    stability.rerun(jail, inputs, 0, &first, runs, jobs, tick)?;
    stability.finish(jail.name(), runs)
}

/// Runs `jail` on every input as [`run_all`] does, appending the text of each behaviour to
/// `out` and where it ends to `ends`: one buffer for all, when one thread runs them.
pub(crate) fn run_into<J: Jailed>(
    jail: &J,
    inputs: &[&J::Input],
    jobs: usize,
    tick: &(dyn Fn() + Sync),
    (out, ends): (&mut String, &mut Vec<usize>),
) -> Result<(), Error> {
    if jobs > 1 && inputs.len() > 1 {
        for observed in run_all(jail, inputs, jobs, tick)? {
            out.push_str(&observed.text);
            ends.push(out.len());
        }
        return Ok(());
    }
    for input in inputs {
        observe_into(jail, input, out)?;
        tick();
        ends.push(out.len());
    }
    Ok(())
}

/// What the later runs of a recording found, gathered part by part: the cases shown are the
/// first by (run, case) whatever the order the parts came in.
#[derive(Default)]
pub(crate) struct Stability {
    /// Cases found unstable.
    unstable: HashSet<usize>,
    /// The first few unstable cases by (run, case), with their text.
    shown: Vec<((usize, usize), String)>,
    /// The first redaction suggested, by (run, case).
    redaction: Option<((usize, usize), String)>,
}

/// Unstable cases shown in full.
const UNSTABLE_SHOWN: usize = 5;

impl Stability {
    /// Runs `inputs` (cases `offset..`) `runs - 1` more times and compares each run with
    /// the `first` behaviours' texts.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rerun<J: Jailed>(
        &mut self,
        jail: &J,
        inputs: &[&J::Input],
        offset: usize,
        first: &[&str],
        runs: usize,
        jobs: usize,
        tick: &(dyn Fn() + Sync),
    ) -> Result<(), Error> {
        let mut again = String::new();
        let mut ends = Vec::with_capacity(inputs.len());
        for run in 1..runs {
            again.clear();
            ends.clear();
            run_into(jail, inputs, jobs, tick, (&mut again, &mut ends))?;
            let mut start = 0;
            for (i, (a, &end)) in first.iter().zip(&ends).enumerate() {
                let b = &again[start..end];
                start = end;
                if *a != b && self.unstable.insert(offset + i) {
                    self.found((run, offset + i), inputs[i], a, b);
                }
            }
        }
        Ok(())
    }

    fn found<I: Serialize>(&mut self, key: (usize, usize), input: &I, a: &str, b: &str) {
        if self.redaction.as_ref().is_none_or(|(k, _)| key < *k)
            && let Some(redaction) = crate::redact::suggestion(a, b)
        {
            self.redaction = Some((key, redaction));
        }
        if self.shown.len() >= UNSTABLE_SHOWN && self.shown.iter().all(|(k, _)| *k < key) {
            return;
        }
        let input = format::encode_input(input)
            .map(|t| format::display_input(&t))
            .unwrap_or_default();
        let diff = crate::diff::diff(
            &format::display_behaviour(a),
            &format::display_behaviour(b),
            false,
        );
        let text = format!(
            "input:\n{}\n  first run (-) vs a later run (+):\n{}",
            indent(&input),
            diff.trim_end()
        );
        self.shown.push((key, text));
        self.shown.sort_by_key(|(k, _)| *k);
        self.shown.truncate(UNSTABLE_SHOWN);
    }

    /// Refuses the recording when any case was unstable.
    pub(crate) fn finish(self, jail: &str, runs: usize) -> Result<(), Error> {
        if self.unstable.is_empty() {
            return Ok(());
        }
        Err(Error::Unstable {
            jail: jail.to_string(),
            runs,
            cases: self.shown.into_iter().map(|(_, text)| text).collect(),
            count: self.unstable.len(),
            redaction: self.redaction.map(|(_, r)| r),
        })
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
