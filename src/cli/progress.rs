//! A progress bar for long runs: on a terminal only, never on CI, and only once a run has
//! taken more than a second (short runs stay quiet).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts finished cases; draws a bar on stderr when the run is long enough.
pub(crate) struct Progress {
    bar: ProgressBar,
    start: Instant,
    allowed: bool,
}

const SHOW_AFTER: Duration = Duration::from_secs(1);

impl Progress {
    /// A bar for `total` cases of `jail`.
    pub(crate) fn new(jail: &str, total: usize, ci: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} cases ({eta} left)")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(jail.to_string());
        Progress {
            bar,
            start: Instant::now(),
            allowed: !ci && std::io::stderr().is_terminal(),
        }
    }

    /// One more case finished.
    pub(crate) fn tick(&self) {
        self.bar.inc(1);
        if self.allowed && self.bar.is_hidden() && self.start.elapsed() > SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
