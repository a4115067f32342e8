//! A jail as the feedback of seeded generation ([`crate::cases::feedback`]).

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Jail, Outcome, panic, timeout};
use crate::cases::feedback::{Feedback, Observed};

impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    /// Feedback for [`crate::Cases::seeded_feedback`]: each draw is called in this process
    /// with this jail's function and time limit, a return counting as running to the end,
    /// a panic (by its message) and a timeout as stops. An [isolated](Jail::isolated)
    /// jail's draws run in process too: for code that aborts or exits, draw without
    /// feedback.
    ///
    /// ```
    /// use kaizen::Jail;
    /// use kaizen::cases::feedback::Observed;
    /// let jail = Jail::new("face", |n: i32| ["one", "two"][n as usize]);
    /// let feedback = jail.feedback();
    /// # let _ = feedback;
    /// assert_eq!(jail.observe(&1), Observed::ran("returned"));
    /// assert!(jail.observe(&5).is_stop());
    /// ```
    pub fn feedback(&self) -> Feedback<I> {
        let f = Arc::clone(&self.f);
        let workers = Arc::clone(&self.workers);
        let limit = self.settings.timeout;
        Feedback::new(move |input: &I| {
            let outcome = match limit {
                None => panic::call_silently(&*f, input.clone()),
                Some(limit) => timeout::call_with_timeout(&f, &workers, input.clone(), limit),
            };
            observed(&outcome)
        })
    }

    /// What feedback sees of one call of this jail, called as [`Jail::feedback`] calls it.
    pub fn observe(&self, input: &I) -> Observed {
        let outcome = match self.settings.timeout {
            None => panic::call_silently(&*self.f, input.clone()),
            Some(limit) => timeout::call_with_timeout(&self.f, &self.workers, input.clone(), limit),
        };
        observed(&outcome)
    }
}

fn observed<O>(outcome: &Outcome<O>) -> Observed {
    match outcome {
        Outcome::Returned(_) => Observed::ran("returned"),
        Outcome::Panicked(message) => Observed::panicked(message),
        Outcome::Timeout(_) => Observed::stopped("timeout"),
        Outcome::Exited(code) => Observed::stopped(format!("exited {code}")),
        Outcome::Crashed(how) => Observed::stopped(format!("crashed {how}")),
    }
}
