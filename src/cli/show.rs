//! `kaizen show NAME CASE…`: one recorded case in full — its input, the behaviour recorded
//! in the snapshot, the behaviour now (the program is run again) and the diff — however
//! long the texts are. The report names cases by number; this shows any of them.

use super::console::{out, outln};
use super::{Project, shown};
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::{self, format};
use crate::{Error, ExitCode, report};

/// Shows the numbered cases (1-based, as the report numbers them) of jail `name`.
pub(crate) fn show(project: &Project, name: &str, numbers: &[usize]) -> Result<ExitCode, Error> {
    let spec = project.specs(&[name.to_string()])?.remove(0);
    let jail = project.load(&spec)?;
    let path = project.snapshot(name);
    let limit = crate::env::max_snapshot_size(crate::env::process)?;
    let loaded = snapshot::load_with_limit(&path, limit)?.ok_or_else(|| Error::Config {
        message: format!(
            "{} does not exist: jail `{name}` is not recorded yet",
            shown(project, &path)
        ),
        hint: format!("record it with `kaizen record {name}`"),
    })?;
    let cases = loaded.cases()?;
    let mut code = ExitCode::Unchanged;
    for (i, &number) in numbers.iter().enumerate() {
        let Some(case) = number.checked_sub(1).and_then(|n| cases.get(n)) else {
            return Err(Error::Config {
                message: format!(
                    "jail `{name}` has no case {number}: its snapshot holds cases 1 to {}",
                    cases.len()
                ),
                hint: "use a case number from the report of `kaizen verify`".into(),
            });
        };
        let input = format::decode_input::<<crate::jail::command::CommandJail as Jailed>::Input>(
            case.input,
        )
        .map_err(|e| {
            Error::snapshot(
                &path,
                Some(case.line),
                format!("case {number} cannot be read as a command case: {e}"),
                format!("re-record the jail with `kaizen record {name}`"),
            )
        })?;
        let mut now = String::new();
        record::observe_into(&jail, &input, &mut now)?;
        if i > 0 {
            outln!("");
        }
        let expected = format::display_behaviour(case.behaviour);
        let actual = format::display_behaviour(&now);
        let same = now == case.behaviour;
        outln!(
            "{name}: case {number} of {} — {}:{} — {}",
            cases.len(),
            shown(project, &path),
            case.line,
            if same { "same" } else { "changed" }
        );
        outln!("input:\n{}", indent(&format::display_input(case.input)));
        outln!("recorded:\n{}", indent(&expected));
        outln!("now:\n{}", indent(&actual));
        if !same {
            code = ExitCode::Changed;
            outln!("behaviour (- recorded, + now):");
            out!("{}", report::diff(&expected, &actual, project.color));
        }
    }
    Ok(code)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
