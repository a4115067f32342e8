//! A progress bar for long runs: on a terminal only, never on CI, and only once a run has
//! taken more than a second (short runs stay quiet).
//!
//! The bar counts a jail's cases. When each case runs several times (`record --runs N`),
//! it moves by one case every `N` runs, so its end is the number of cases, not of runs.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts finished runs of cases; draws a bar of cases on stderr when the run is long enough.
pub(crate) struct Progress {
    bar: ProgressBar,
    runs: u64,
    finished_runs: AtomicU64,
    start: Instant,
    allowed: bool,
}

const SHOW_AFTER: Duration = Duration::from_secs(1);

impl Progress {
    /// A bar for `cases` cases of `jail`, each run `runs` times; `each` says so after the
    /// count (`, 2 runs each`), or is empty.
    pub(crate) fn new(jail: &str, cases: usize, runs: usize, each: &str, ci: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(cases as u64), ProgressDrawTarget::hidden());
        let template =
            format!("{{prefix}} [{{bar:30}}] {{pos}}/{{len}} cases{each} ({{eta}} left)");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(jail.to_string());
        Progress {
            bar,
            runs: runs.max(1) as u64,
            finished_runs: AtomicU64::new(0),
            start: Instant::now(),
            allowed: !ci && std::io::stderr().is_terminal(),
        }
    }

    /// One more run of a case finished.
    pub(crate) fn tick(&self) {
        let runs = self.finished_runs.fetch_add(1, Ordering::Relaxed) + 1;
        let cases = runs / self.runs;
        // Recorded inputs that no source makes any more are run too: the bar grows.
        if self.bar.length().is_some_and(|len| cases > len) {
            self.bar.set_length(cases);
        }
        self.bar.set_position(cases);
        if self.allowed && self.bar.is_hidden() && self.start.elapsed() > SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
