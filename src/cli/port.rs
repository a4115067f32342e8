//! `kaizen port`: runs each jail's original program and its port side by side and reports
//! where they differ (see [`crate::port`]).

use super::console::{errln, out, outln};
use super::progress::Progress;
use super::{Format, Project, shown};
use crate::env::Environment;
use crate::port::{self, PortRun};
use crate::report::{self, JailResult};
use crate::{Error, ExitCode};

/// `kaizen port [JAIL…]`: every named jail, or every jail whose spec has a `port:`.
pub(crate) fn port(project: &Project, names: &[String], format: Format) -> Result<ExitCode, Error> {
    let env = Environment::from_process()?;
    let mut specs = Vec::new();
    for spec in project.specs(names)? {
        if super::console::closed() {
            // Nobody reads what comes next: stop quietly (see `console::finish`).
            break;
        }
        let jail = project.load(&spec);
        if names.is_empty() && matches!(&jail, Ok(j) if j.port().is_none()) {
            continue;
        }
        specs.push((spec, jail));
    }
    if specs.is_empty() {
        return Err(Error::Config {
            message: "no jail spec names a port".into(),
            hint: "add `port: [program, args…]` to a spec in jail/ (see the README's \"Porting a program\")".into(),
        });
    }
    let mut results = Vec::new();
    for (spec, jail) in specs {
        let result = jail.and_then(|jail| {
            let cases = jail.all_cases().len();
            // Each case runs twice: the original and the port.
            let progress = Progress::new(jail.name(), cases, 2, "", env.ci);
            let tick = || progress.tick();
            let run = PortRun {
                snapshot: project.snapshot(jail.name()),
                env: env.clone(),
                jobs: project.jobs,
                max_shown: 10,
                tick: &tick,
            };
            let verdict = port::compare(&jail, &run);
            progress.finish();
            verdict
        });
        if format == Format::Human {
            match &result {
                Ok(v) if v.passed() => outln!("{}", report::summary_line(v, project.color)),
                Ok(v) => out!("{}", report::render(v, project.color)),
                Err(e) => errln!("error: {e}"),
            }
        }
        let name = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        results.push(JailResult {
            name,
            spec: shown(project, &spec),
            result,
        });
    }
    let code = results.iter().fold(ExitCode::Unchanged, |code, r| {
        code.worst(match &r.result {
            Ok(v) => v.exit_code(),
            Err(e) => e.exit_code(),
        })
    });
    super::run::print_report(project, format, &results);
    Ok(code)
}
