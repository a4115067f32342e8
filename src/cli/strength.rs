//! `kaizen strength`: how much of the legacy code's behaviour do the recorded cases pin?
//! Runs cargo-mutants on the jailed files (or merges finished shard runs) and prints the
//! mutation score per file with every survivor.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Project;
use super::console::{errln, out};
use crate::strength::outcomes::{self, Outcomes};
use crate::strength::{render, run, score, strengthen};
use crate::{Error, ExitCode, env};

/// Report formats of `kaizen strength`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrengthFormat {
    /// The readable report.
    Human,
    /// One JSON document.
    Json,
}

/// The options of `kaizen strength`.
#[derive(Debug, Clone, clap::Args)]
pub struct StrengthArgs {
    /// Legacy files to mutate, relative to the project (default: every `.rs` file under
    /// `jail/`).
    pub files: Vec<String>,
    /// A characterization test target (`tests/NAME.rs`) to judge the mutants with; repeat it
    /// for several (default: every `tests/*.rs` that uses kaizen).
    #[arg(long = "test", value_name = "NAME")]
    pub tests: Vec<String>,
    /// Test only the k-th of n shards of the mutants (k from 0), for one machine of a CI
    /// matrix; merge the shards' results with `--merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Exit with code 4 when the mutation score (in percent) is below P.
    #[arg(long, value_name = "P")]
    pub min_score: Option<f64>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = StrengthFormat::Human)]
    pub format: StrengthFormat,
    /// Do not run cargo-mutants: read and merge the results of finished runs (their
    /// `mutants.out` folders or `outcomes.json` files).
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub merge: Vec<PathBuf>,
    /// Where cargo-mutants writes `mutants.out/` (default: `target/kaizen-strength`).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// `--color WHEN`.
    #[command(flatten)]
    pub color: super::Color,
    /// Then search for inputs that kill the survivors, add them to each jail's
    /// `NAME.strengthened.yaml` and record them to pending snapshot files for review.
    #[arg(long)]
    pub strengthen: bool,
    /// Then reduce each jail's cases to the fewest that kill every caught mutant (greedy set
    /// cover, one case per behaviour class kept), written as pending snapshot files.
    #[arg(long)]
    pub minimize: bool,
    /// The most candidate inputs per jail when strengthening.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub budget: usize,
    /// Further options for cargo-mutants, after `--` (e.g. `-- --timeout 30 --in-place`).
    #[arg(last = true, value_name = "CARGO_MUTANTS_OPTIONS")]
    pub cargo_mutants: Vec<String>,
}

/// `kaizen strength`.
pub(crate) fn strength(project: &Project, args: &StrengthArgs) -> Result<ExitCode, Error> {
    check_min_score(args.min_score)?;
    let runs: Vec<Outcomes> = if args.merge.is_empty() {
        vec![mutate(project, args)?]
    } else {
        args.merge
            .iter()
            .map(|dir| outcomes::read(dir))
            .collect::<Result<_, _>>()?
    };
    let strength = score(&runs, &project.root);
    if strength.files.is_empty() {
        return Err(Error::Config {
            message: "cargo-mutants made no mutants of the legacy files".into(),
            hint: "cargo-mutants mutates only code compiled into the library or a binary: \
                   include each legacy file there, e.g. `#[path = \"../jail/legacy.rs\"] \
                   pub mod legacy;` in src/lib.rs"
                .into(),
        });
    }
    match args.format {
        StrengthFormat::Human => out!("{}", render::human(&strength, project.color)),
        StrengthFormat::Json => out!("{}", render::json(&strength, args.min_score)),
    }
    if args.strengthen {
        strengthen(project, args, &runs, &strength)?;
    }
    if args.minimize {
        let (opts, mut note) = (options(project, args), noter());
        let report = crate::strength::minimize::minimize(&opts, &runs, &mut note)?;
        out!("\n{}", render::minimized(&report, &project.root));
    }
    if render::below(&strength, args.min_score) {
        errln!(
            "kaizen: mutation score {} is below --min-score {}",
            render::percent(strength.total.score()),
            render::percent(args.min_score)
        );
        return Ok(ExitCode::Weak);
    }
    Ok(ExitCode::Unchanged)
}

fn check_min_score(min: Option<f64>) -> Result<(), Error> {
    match min {
        Some(p) if !(0.0..=100.0).contains(&p) => Err(Error::Config {
            message: format!("--min-score {p} is not a percentage"),
            hint: "give a number from 0 to 100, e.g. `--min-score 90`".into(),
        }),
        _ => Ok(()),
    }
}

fn check_shard(shard: &str) -> Result<(), Error> {
    let parsed = shard
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse::<u32>().ok()?, n.parse::<u32>().ok()?)));
    match parsed {
        Some((k, n)) if k < n => Ok(()),
        _ => Err(Error::Config {
            message: format!("--shard {shard} is not k/n with 0 <= k < n"),
            hint: "shards count from 0: `--shard 0/4` … `--shard 3/4`".into(),
        }),
    }
}

fn plan(project: &Project, args: &StrengthArgs) -> Result<run::Plan, Error> {
    if let Some(shard) = &args.shard {
        check_shard(shard)?;
    }
    let files = if args.files.is_empty() {
        run::jail_files(&project.root)
    } else {
        args.files.clone()
    };
    if files.is_empty() {
        return Err(Error::Config {
            message: format!(
                "no legacy Rust files to mutate: {} has no `.rs` file",
                project.jail_dir().display()
            ),
            hint: "name the legacy files: `kaizen strength src/legacy.rs`".into(),
        });
    }
    if let Some(missing) = files.iter().find(|f| !project.root.join(f).is_file()) {
        return Err(Error::Config {
            message: format!("no legacy file {}", project.root.join(missing).display()),
            hint: "name files relative to the project folder (--root)".into(),
        });
    }
    let tests = if args.tests.is_empty() {
        run::characterization_tests(&project.root)
    } else {
        args.tests.clone()
    };
    if tests.is_empty() {
        return Err(Error::Config {
            message: format!(
                "no characterization tests: no file in {} uses kaizen",
                project.root.join("tests").display()
            ),
            hint: "name the test targets: `kaizen strength --test characterize`".into(),
        });
    }
    Ok(run::Plan {
        root: project.root.clone(),
        files,
        tests,
        shard: args.shard.clone(),
        output: args
            .output
            .clone()
            .unwrap_or_else(|| project.root.join("target").join("kaizen-strength")),
        extra: args.cargo_mutants.clone(),
    })
}

fn mutate(project: &Project, args: &StrengthArgs) -> Result<Outcomes, Error> {
    let plan = plan(project, args)?;
    let tool = run::find_tool(std::env::var_os(env::PATH))?;
    let ci = std::env::var(env::CI).is_ok_and(|v| env::is_truthy(&v));
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if !ci && std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_message("cargo-mutants: testing the unmutated code");
    let style = ProgressStyle::with_template("mutants [{bar:30}] {pos}/{len} ({eta} left)");
    let mut progress = |done: usize, total: usize| {
        if total > 0 && bar.length().is_none() {
            if let Ok(style) = &style {
                bar.set_style(style.clone().progress_chars("=> "));
            }
            bar.set_length(total as u64);
        }
        bar.set_position(done as u64);
        bar.tick();
    };
    let result = run::run(&plan, &tool, &mut progress);
    bar.finish_and_clear();
    let outcomes = result?;
    if outcomes.tested.is_empty() {
        return Err(Error::Config {
            message: format!(
                "cargo-mutants found no mutants in {}",
                plan.files.join(", ")
            ),
            hint: "cargo-mutants mutates only code compiled into the library or a binary: \
                   include each legacy file there, e.g. `#[path = \"../jail/legacy.rs\"] \
                   pub mod legacy;` in src/lib.rs"
                .into(),
        });
    }
    Ok(outcomes)
}

fn strengthen(
    project: &Project,
    args: &StrengthArgs,
    runs: &[Outcomes],
    before: &score::Strength,
) -> Result<(), Error> {
    let (opts, mut note) = (options(project, args), noter());
    let report = strengthen::strengthen(&opts, runs, &mut note)?;
    out!("\n{}", render::strengthened(before, &report, &project.root));
    Ok(())
}

fn options(project: &Project, args: &StrengthArgs) -> strengthen::Options {
    let tests = if args.tests.is_empty() {
        run::characterization_tests(&project.root)
    } else {
        args.tests.clone()
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| project.root.join("target").join("kaizen-strength"));
    strengthen::Options {
        root: project.root.clone(),
        tests,
        work: output.join("strengthen"),
        budget: args.budget.max(1),
        seed: crate::cases::DEFAULT_SEED,
    }
}

/// Says what a long step is doing, on a terminal and off CI.
fn noter() -> impl FnMut(&str) {
    let quiet = std::env::var(env::CI).is_ok_and(|v| env::is_truthy(&v))
        || !std::io::stderr().is_terminal();
    move |what: &str| {
        if !quiet {
            errln!("kaizen: {what}");
        }
    }
}
