//! Shrinking a generated case on which the original and the port differ.
//!
//! The spec's `generate:` is one proptest source, so the case's origin (seed and draw)
//! rebuilds its value tree, and [`crate::Cases::shrink`] simplifies it the proptest way
//! while the two programs still differ. Each candidate runs both programs once, so the
//! number of candidates is bounded by the spec's `generate.shrink` (default 300). Every
//! step depends on the seed and on what the programs do, so a run is the same every time
//! for deterministic programs.

use std::collections::HashMap;

use crate::cases::Origin;
use crate::jail::command::{CommandCase, CommandJail};
use crate::record::observe_into;
use crate::snapshot::format;
use crate::verify::{Difference, Shrunk};

/// True when both programs ran `case` and did different things. A case either side could
/// not run counts as not differing, so shrinking never ends on a harness failure. The two
/// sides run at once.
pub fn differ(original: &CommandJail, port: &CommandJail, case: &CommandCase) -> bool {
    let run = |jail: &CommandJail| {
        let mut text = String::new();
        observe_into(jail, case, &mut text).ok().map(|_| text)
    };
    let (before, after) = std::thread::scope(|scope| {
        let other = scope.spawn(|| run(port));
        (run(original), other.join().ok().flatten())
    });
    matches!((before, after), (Some(b), Some(a)) if b != a)
}

/// Whether each candidate case tried so far differs. The shrinks of several differences
/// often pass through the same small cases (no stdin, one empty line): each runs once.
pub type Tried = HashMap<CommandCase, bool>;

/// Shrinks the case of `difference` if it was generated, and makes `difference` show the
/// minimal case (and the case first drawn beside it). Returns the minimal case.
pub fn shrink_into(
    original: &CommandJail,
    port: &CommandJail,
    origin: &Origin,
    difference: &mut Difference,
    tried: &mut Tried,
) -> Option<CommandCase> {
    let generated = original.generated()?;
    let mut differs = |case: &CommandCase| {
        if let Some(known) = tried.get(case) {
            return *known;
        }
        let found = differ(original, port, case);
        tried.insert(case.clone(), found);
        found
    };
    let found = generated
        .cases
        .shrink(origin, &mut differs, generated.shrink_steps)?;
    let text = format::encode_input(&found.minimal).ok()?;
    let (mut before, mut after) = (String::new(), String::new());
    let expected = observe_into(original, &found.minimal, &mut before).ok()?;
    let actual = observe_into(port, &found.minimal, &mut after).ok()?;
    difference.shrunk = Some(Shrunk {
        original_input: std::mem::replace(&mut difference.input, format::display_input(&text)),
        steps: found.steps,
    });
    difference.expected = format::display_behaviour(&before);
    difference.actual = format::display_behaviour(&after);
    difference.expected_label = crate::jail::Behaviour::label(&expected).into_owned();
    difference.actual_label = crate::jail::Behaviour::label(&actual).into_owned();
    Some(found.minimal)
}
