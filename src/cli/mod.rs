//! The `kaizen` command line: a thin layer over the library engine.
//!
//! Each subcommand lives in its own module; this one parses arguments (clap derive), finds
//! the project (its `jail/` specs and `snapshots/`), runs the subcommand and maps the result
//! to a documented [`ExitCode`].

mod accept;
mod behaviours;
mod console;
mod init;
mod interrupt;
mod merge;
mod pending;
mod port;
mod progress;
mod run;
mod show;
mod strength;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use console::errln;

use crate::jail::command::CommandJail;
use crate::{Error, ExitCode};

/// Jail legacy programs, characterize what they do, verify every refactoring step.
#[derive(Debug, Parser)]
#[command(name = "kaizen", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 behaviour unchanged, 1 behaviour changed, 2 usage/spec/snapshot error,\n3 snapshot missing on CI, 4 mutation score below --min-score, 70 internal error, 74 output not written,\n141 output closed early; 130/143/129 interrupted (Ctrl-C, SIGTERM, SIGHUP: running cases are stopped first).\n\nExample:\n  kaizen init && kaizen record && kaizen verify"
)]
pub struct Cli {
    /// The project folder holding `jail/` and `snapshots/`.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Cases run at once, for `record`, `verify` and `port` (also accepted after them).
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Colour in the reports of `verify`, `port` and `strength` (also accepted after them).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `-j N`, for the subcommands that run cases.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct Jobs {
    /// Cases run at once (default: the number of cores; the output is the same for any N).
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
}

/// `--color WHEN`, for the subcommands that print a report.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct Color {
    /// Colour in reports: auto (on a terminal, unless NO_COLOR; CLICOLOR_FORCE forces it),
    /// always or never (both win over the variables).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
}

/// `-j N`: a number of cases at once, 1 or more.
fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 cases at once would run nothing: give 1 or more \
                      (default: the number of cores)"
            .into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!(
            "{e}: give a number of cases to run at once, e.g. `-j 4`"
        )),
    }
}

/// When to colour the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; off a terminal when `CLICOLOR_FORCE` is.
    Auto,
    /// Always, whatever `NO_COLOR` says.
    Always,
    /// Never, whatever `CLICOLOR_FORCE` says.
    Never,
}

/// Report formats of `kaizen verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The readable report.
    Human,
    /// One JSON document with every jail's verdict.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
    /// One self-contained HTML page: summary, groups, each changed case side by side.
    Html,
    /// A short Markdown summary, for a CI job's summary page.
    Markdown,
}

impl Format {
    /// The library's name for a machine-readable format; `None` for the human report.
    pub(crate) fn machine(self) -> Option<crate::report::Format> {
        match self {
            Format::Human => None,
            Format::Json => Some(crate::report::Format::Json),
            Format::Junit => Some(crate::report::Format::Junit),
            Format::Html => Some(crate::report::Format::Html),
            Format::Markdown => Some(crate::report::Format::Markdown),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create `jail/`, `snapshots/` and a commented example jail spec.
    #[command(after_help = "Example:\n  kaizen init\n  $EDITOR jail/example.yaml")]
    Init,
    /// Run every case of the jails and record what they do as snapshots.
    #[command(
        after_help = "Examples:\n  kaizen record              # every jail in jail/\n  kaizen record report --runs 3\n\nOn CI (CI set) recording is refused unless KAIZEN_UPDATE=always."
    )]
    Record {
        /// Jails to record (names of `jail/NAME.yaml`); default: all.
        jails: Vec<String>,
        /// Run each case this many times and refuse cases whose output differs.
        #[arg(long, default_value_t = 2, value_name = "N")]
        runs: usize,
        /// `-j N`.
        #[command(flatten)]
        jobs: Jobs,
    },
    /// Replay every recorded case against the program as it is now and report changes.
    #[command(
        after_help = "Examples:\n  kaizen verify\n  kaizen verify report --format junit > kaizen.xml\n\nKAIZEN_UPDATE=auto|new|always|no says what may be written (default auto: pending\n.snap.new files locally, nothing on CI)."
    )]
    Verify {
        /// Jails to verify; default: all.
        jails: Vec<String>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// How many changed cases of each jail the report shows in full (default 10; 1000
        /// with --format html, whose page shows them 25 at a time).
        #[arg(long, value_name = "N", conflicts_with = "all")]
        max_shown: Option<usize>,
        /// Show every changed case in full (each one's diff is still cut to a readable size).
        #[arg(long)]
        all: bool,
        /// `-j N`.
        #[command(flatten)]
        jobs: Jobs,
        /// `--color WHEN`.
        #[command(flatten)]
        color: Color,
        /// Verify only part K of N of every jail's cases (`K/N` or `hash:K/N`, by a stable
        /// hash of each input); writes nothing. `kaizen merge` combines the shards' JSON
        /// reports.
        #[arg(long, value_name = "K/N")]
        shard: Option<crate::shard::Shard>,
        /// A pure refactoring step: any change fails, whatever KAIZEN_UPDATE says, and
        /// nothing is written.
        #[arg(long, conflicts_with = "feature")]
        refactor: bool,
        /// A feature step: only the cases named by the ledger's entries of this step (the
        /// newest entry of snapshots/kaizen-ledger.yaml and those before it on the same
        /// commit) may change; any other changed case fails and is listed.
        #[arg(long)]
        feature: bool,
        /// Append this run (commit, jails, cases, same/changed/new, duration) to
        /// snapshots/kaizen-steps.tsv; `kaizen log --steps` shows them.
        #[arg(long)]
        ledger: bool,
    },
    /// Combine the JSON reports of `kaizen verify --shard K/N` runs into one report.
    #[command(
        after_help = "Example:\n  for k in 1 2 3 4; do kaizen verify --shard $k/4 --format json > shard-$k.json; done\n  kaizen merge shard-*.json"
    )]
    Merge {
        /// JSON reports of `kaizen verify --format json`, one per shard.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `--color WHEN`.
        #[command(flatten)]
        color: Color,
    },
    /// Run each jail's original program and its port (the spec's `port:`) side by side
    /// on every case and report where they differ; records nothing.
    #[command(
        after_help = "Examples:\n  kaizen port               # every jail whose spec has a `port:`\n  kaizen port tally -j 4\n\nGenerated cases (`generate:`) that differ are shrunk to the smallest invocation."
    )]
    Port {
        /// Jails to compare; default: every jail whose spec names a port.
        jails: Vec<String>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `-j N`.
        #[command(flatten)]
        jobs: Jobs,
        /// `--color WHEN`.
        #[command(flatten)]
        color: Color,
    },
    /// Accept pending results: `NAME.snap.new` replaces `NAME.snap`, or only some cases.
    #[command(
        after_help = "Examples:\n  kaizen accept report\n  kaizen accept report --case 3,17 --group 1 --reason \"totals are rounded now\"\n\nEvery acceptance of changed behaviour is written to snapshots/kaizen-ledger.yaml."
    )]
    Accept {
        /// Jails whose pending results to accept; default: all.
        jails: Vec<String>,
        /// Accept only these cases (numbers from the report); the others stay pending.
        #[arg(long = "case", value_name = "N,…", value_delimiter = ',')]
        cases: Vec<usize>,
        /// Accept only the cases of these groups (numbers from the report).
        #[arg(long = "group", value_name = "G,…", value_delimiter = ',')]
        groups: Vec<usize>,
        /// Why the change is wanted, for the ledger (required with --case or --group).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// List the accepted changes in snapshots/kaizen-ledger.yaml, or the verify steps.
    #[command(
        after_help = "Examples:\n  kaizen log\n  kaizen log --steps\n\nOn a terminal (or with --color always) --steps draws a chart of cases and verify time\nper step under the table."
    )]
    Log {
        /// Show the steps recorded by `kaizen verify --ledger` as a table (and a chart on a
        /// terminal).
        #[arg(long)]
        steps: bool,
        /// `--color WHEN`: `always` draws the chart of `--steps` also when the output is not
        /// a terminal, `never` leaves it out.
        #[command(flatten)]
        color: Color,
    },
    /// Drop pending results (`NAME.snap.new`).
    #[command(
        after_help = "Examples:\n  kaizen reject report\n  kaizen reject report --case 8 --group 2"
    )]
    Reject {
        /// Jails whose pending results to drop; default: all.
        jails: Vec<String>,
        /// Reject only these changed cases (numbers from the report): they get their
        /// recorded behaviour back in the pending file; the others stay pending.
        #[arg(long = "case", value_name = "N,…", value_delimiter = ',')]
        cases: Vec<usize>,
        /// Reject only the cases of these groups (numbers from the report).
        #[arg(long = "group", value_name = "G,…", value_delimiter = ',')]
        groups: Vec<usize>,
    },
    /// Show recorded cases in full: input, recorded behaviour, behaviour now and the diff.
    #[command(after_help = "Example:\n  kaizen show report 3 17")]
    Show {
        /// The jail.
        jail: String,
        /// Case numbers, as the report of `kaizen verify` gives them.
        #[arg(required = true)]
        cases: Vec<usize>,
        /// `--color WHEN`.
        #[command(flatten)]
        color: Color,
    },
    /// Show the jails, their case counts and pending results.
    #[command(after_help = "Example:\n  kaizen list")]
    List,
    /// Measure how much legacy behaviour the recorded cases pin: cargo-mutants changes the
    /// jailed Rust code in small ways and the characterization tests must notice.
    #[command(
        after_help = "Examples:\n  kaizen strength                      # every .rs file in jail/\n  kaizen strength jail/band.rs --min-score 90\n  kaizen strength --shard 0/4          # one CI machine of four\n  kaizen strength --merge shard-*/     # one score from the shards\n\nNeeds cargo-mutants: cargo install --locked cargo-mutants"
    )]
    Strength(strength::StrengthArgs),
    /// Show which kinds of behaviour the recorded cases end in (read from the snapshots):
    /// returned values by shape, panics by message, timeouts, exits — and warn when one stop
    /// holds most cases.
    #[command(after_help = "Examples:\n  kaizen behaviours\n  kaizen behaviours invoice_total")]
    Behaviours {
        /// Jails (snapshot names); default: every snapshot in snapshots/.
        jails: Vec<String>,
    },
}

/// Parses the process's arguments, runs the command and returns its exit code.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    interrupt::install();
    // Every child of the `kaizen` command is a case's program, so the processes a case
    // leaves behind can be adopted and stopped with it (Linux; see `jail::command`).
    crate::jail::command::adopt_orphans();
    let code = run_cli(cli);
    interrupt::wait_if_interrupted();
    code.into()
}

/// Runs a parsed command line.
pub fn run_cli(cli: Cli) -> ExitCode {
    let result = Project::new(&cli).and_then(|project| run_command(&project, &cli.command));
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e}");
            e.exit_code()
        }
    };
    console::finish(code)
}

fn run_command(project: &Project, command: &Command) -> Result<ExitCode, Error> {
    match command {
        Command::Init => init::init(project),
        Command::Record { jails, runs, .. } => run::record(project, jails, *runs),
        Command::Verify {
            jails,
            format,
            max_shown,
            all,
            ..
        } => {
            let shown = if *all { Some(usize::MAX) } else { *max_shown };
            run::verify(project, jails, *format, shown)
        }
        Command::Port { jails, format, .. } => port::port(project, jails, *format),
        Command::Merge {
            reports, format, ..
        } => merge::merge(project, reports, *format),
        Command::Accept {
            jails,
            cases,
            groups,
            reason,
        } => {
            let selection = crate::accept_cases::Selection {
                cases: cases.clone(),
                groups: groups.clone(),
            };
            accept::accept(project, jails, &selection, reason.as_deref())
        }
        Command::Log { steps, .. } => accept::log(project, *steps),
        Command::Show { jail, cases, .. } => show::show(project, jail, cases),
        Command::Reject {
            jails,
            cases,
            groups,
        } => {
            let selection = crate::accept_cases::Selection {
                cases: cases.clone(),
                groups: groups.clone(),
            };
            if selection == crate::accept_cases::Selection::default() {
                pending::reject(project, jails)
            } else {
                accept::reject_cases(project, jails, &selection)
            }
        }
        Command::List => pending::list(project),
        Command::Strength(args) => strength::strength(project, args),
        Command::Behaviours { jails } => behaviours::behaviours(project, jails),
    }
}

impl Command {
    /// The subcommand's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Command::Init => "init",
            Command::Record { .. } => "record",
            Command::Verify { .. } => "verify",
            Command::Port { .. } => "port",
            Command::Merge { .. } => "merge",
            Command::Accept { .. } => "accept",
            Command::Log { .. } => "log",
            Command::Show { .. } => "show",
            Command::Reject { .. } => "reject",
            Command::List => "list",
            Command::Strength(_) => "strength",
            Command::Behaviours { .. } => "behaviours",
        }
    }

    /// `-j` as given after the subcommand; `None` when the subcommand runs no cases.
    fn jobs(&self) -> Option<Jobs> {
        match self {
            Command::Record { jobs, .. }
            | Command::Verify { jobs, .. }
            | Command::Port { jobs, .. } => Some(*jobs),
            _ => None,
        }
    }

    /// `--color` as given after the subcommand; `None` when the subcommand prints no report.
    fn color(&self) -> Option<Color> {
        match self {
            Command::Verify { color, .. }
            | Command::Port { color, .. }
            | Command::Merge { color, .. }
            | Command::Show { color, .. }
            | Command::Log { color, .. } => Some(*color),
            Command::Strength(args) => Some(args.color),
            _ => None,
        }
    }
}

/// The error for an option given before a subcommand that does nothing with it.
fn unused(option: &str, command: &Command, what: &str) -> Error {
    Error::Config {
        message: format!("`{option}` does nothing for `kaizen {}`", command.name()),
        hint: format!("{what}; leave it out here"),
    }
}

/// The project the command works on.
pub(crate) struct Project {
    root: PathBuf,
    jobs: usize,
    color: bool,
    /// Whether to draw charts (`kaizen log --steps`): on a terminal, or with `--color always`.
    charts: bool,
    /// The part of every jail's cases this run verifies (`--shard`).
    shard: Option<crate::shard::Shard>,
    /// `--refactor` or `--feature` (else `KAIZEN_STEP`): the kind of step a verify checks.
    step: crate::step::Step,
    /// `--ledger`: the run is appended to the step ledger.
    ledger: bool,
}

impl Project {
    fn new(cli: &Cli) -> Result<Project, Error> {
        let jobs = match (cli.jobs, cli.command.jobs()) {
            (Some(_), None) => Err(unused(
                "-j",
                &cli.command,
                "`-j N` sets how many cases run at once in record, verify and port",
            ))?,
            (before, after) => after.and_then(|a| a.jobs).or(before),
        };
        let color = match (cli.color, cli.command.color()) {
            (Some(_), None) => Err(unused(
                "--color",
                &cli.command,
                "`--color` colours the reports of verify, port, merge, show and strength, and draws the chart of log --steps",
            ))?,
            (before, after) => after.and_then(|a| a.color).or(before),
        };
        let jobs = jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        let root = std::path::absolute(&cli.root).unwrap_or_else(|_| cli.root.clone());
        let choice = color.unwrap_or(ColorChoice::Auto);
        // Charts are drawn on a terminal, or when asked for; NO_COLOR is about colour only.
        let charts = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal(),
        };
        let color = match choice {
            // An explicit flag wins over NO_COLOR and CLICOLOR_FORCE (https://no-color.org).
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => crate::env::use_color(std::io::stdout().is_terminal()),
        };
        let (shard, step, ledger) = match &cli.command {
            Command::Verify {
                shard,
                refactor,
                feature,
                ledger,
                ..
            } => (*shard, step_of(*refactor, *feature)?, *ledger),
            _ => (None, crate::step::Step::Any, false),
        };
        Ok(Project {
            root,
            jobs,
            color,
            charts,
            shard,
            step,
            ledger,
        })
    }

    fn jail_dir(&self) -> PathBuf {
        self.root.join("jail")
    }

    fn snapshot_dir(&self) -> PathBuf {
        self.root.join("snapshots")
    }

    fn snapshot(&self, name: &str) -> PathBuf {
        crate::settings::snapshot_path(&self.snapshot_dir(), name)
    }

    /// The settings of every jail of this project.
    fn settings(&self) -> crate::Settings {
        crate::Settings {
            snapshot_dir: Some(self.snapshot_dir()),
            jobs: self.jobs,
            ..crate::Settings::default()
        }
    }

    /// The spec files of the named jails, or of every jail when `names` is empty.
    fn specs(&self, names: &[String]) -> Result<Vec<PathBuf>, Error> {
        let dir = self.jail_dir();
        if names.is_empty() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::Config {
                message: format!("cannot read the jail folder {}: {e}", dir.display()),
                hint: "run `kaizen init` to create it, or pass --root with the project folder"
                    .into(),
            })?;
            let mut specs: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_spec(p))
                .collect();
            specs.sort();
            if specs.is_empty() {
                return Err(Error::Config {
                    message: format!("no jail specs (*.yaml) in {}", dir.display()),
                    hint: "run `kaizen init` for a commented example spec".into(),
                });
            }
            return Ok(specs);
        }
        names
            .iter()
            .map(|name| {
                crate::snapshot::check_name(name)?;
                let path = ["yaml", "yml"]
                    .iter()
                    .map(|ext| dir.join(format!("{name}.{ext}")))
                    .find(|p| p.is_file());
                path.ok_or_else(|| Error::Config {
                    message: format!(
                        "no jail named `{name}`: {} does not exist",
                        dir.join(format!("{name}.yaml")).display()
                    ),
                    hint: "`kaizen list` shows the jails".into(),
                })
            })
            .collect()
    }

    fn load(&self, spec: &Path) -> Result<CommandJail, Error> {
        CommandJail::load(spec, &self.root).map_err(|e| Error::Spec {
            message: e.to_string(),
        })
    }
}

/// The step `--refactor` or `--feature` names, else the one `KAIZEN_STEP` names.
fn step_of(refactor: bool, feature: bool) -> Result<crate::step::Step, Error> {
    use crate::step::Step;
    Ok(match (refactor, feature) {
        (true, _) => Step::Refactor,
        (_, true) => Step::Feature,
        _ => crate::env::step(crate::env::process)?.unwrap_or_default(),
    })
}

fn is_spec(path: &Path) -> bool {
    path.is_file()
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        )
}

/// `1 case`, `1,012 cases`.
pub(crate) fn cases(n: usize) -> String {
    let noun = if n == 1 { "case" } else { "cases" };
    format!("{} {noun}", crate::report::thousands(n))
}

/// The path as shown to people: relative to the project root when below it.
pub(crate) fn shown(project: &Project, path: &Path) -> String {
    path.strip_prefix(&project.root)
        .unwrap_or(path)
        .display()
        .to_string()
}
