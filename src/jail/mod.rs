//! The code jail: legacy code behind a stable interface, observed only through its behaviour.
//!
//! A jail takes an input and returns what the jailed code did — a [`Behaviour`]. For a Rust
//! function ([`Jail`]) that is an [`Outcome`]: the value it returned, the message it panicked
//! with, or the fact that it did not return in time. Panics never escape a jail and never
//! count as a failure of the harness: they are behaviour like any other.

pub mod command;
mod panic;
mod timeout;

use std::borrow::Cow;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::settings::Settings;

/// What a jail observed for one input. Serialized as a YAML mapping beside the input.
pub trait Behaviour: Serialize + Send {
    /// A short name for the kind of behaviour: `returned`, `panicked`, `exit 2`, `timeout`.
    /// The report uses it to say that, say, a panic appeared.
    fn label(&self) -> Cow<'_, str>;
}

/// Something that runs jailed code on inputs: a Rust function or a legacy program.
pub trait Jailed: Sync {
    /// The recorded and replayed input.
    type Input: Serialize + DeserializeOwned + Send + Sync;
    /// What the jail observes.
    type Behaviour: Behaviour;

    /// The jail's name: the snapshot's file stem and the report's title.
    fn name(&self) -> &str;

    /// Runs the jailed code on one input. Never panics.
    fn run(&self, input: &Self::Input) -> Self::Behaviour;

    /// A readable name of the input type, stored in the snapshot header.
    fn input_type(&self) -> Cow<'_, str> {
        Cow::Borrowed(std::any::type_name::<Self::Input>())
    }
}

/// What a jailed Rust function did with one input.
///
/// ```
/// use kaizen::jail::{Behaviour, Outcome};
/// assert_eq!(Outcome::Returned(3).label(), "returned");
/// assert_eq!(Outcome::<u8>::Panicked("boom".into()).label(), "panicked");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome<O> {
    /// The function returned this value.
    Returned(O),
    /// The function panicked with this message.
    Panicked(String),
    /// The function did not return within the jail's timeout (shown as e.g. `2s`).
    Timeout(String),
}

impl<O: Serialize + Send> Behaviour for Outcome<O> {
    fn label(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Outcome::Returned(_) => "returned",
            Outcome::Panicked(_) => "panicked",
            Outcome::Timeout(_) => "timeout",
        })
    }
}

type JailedFn<I, O> = Arc<dyn Fn(I) -> O + Send + Sync>;

/// A Rust function or closure in a jail.
///
/// The input must be serializable and deserializable (it is recorded and replayed), the
/// output serializable (it is recorded and compared). Configure the jail with the builder
/// methods, then characterize it with [`Jail::check`].
///
/// ```
/// use kaizen::{Cases, Jail};
/// # let dir = tempfile::tempdir().unwrap();
/// fn legacy_discount(qty: u32) -> u32 {
///     if qty > 10 { qty * 9 / 10 } else { qty }
/// }
/// let jail = Jail::new("discount", |qty: u32| legacy_discount(qty))
/// #   .snapshot_dir(dir.path())
///     ;
/// // `jail.run` reads KAIZEN_UPDATE and CI; here a local run is spelled out.
/// let local = kaizen::env::Environment::default();
/// let verdict = jail.run_with(&Cases::new().list([1, 10, 11, 100]), local).unwrap();
/// assert!(verdict.passed());
/// ```
pub struct Jail<I, O> {
    name: String,
    f: JailedFn<I, O>,
    workers: timeout::Pool<I, O>,
    pub(crate) settings: Settings,
    pub(crate) caller: &'static Location<'static>,
}

impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    /// Puts `f` in a jail called `name`. The name becomes the snapshot file `NAME.snap`.
    #[track_caller]
    pub fn new(name: impl Into<String>, f: impl Fn(I) -> O + Send + Sync + 'static) -> Self {
        Jail {
            name: name.into(),
            f: Arc::new(f),
            workers: Default::default(),
            settings: Settings::default(),
            caller: Location::caller(),
        }
    }

    /// Replaces all settings at once.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Stores the snapshot in `dir` instead of `snapshots/` at the crate root. A relative
    /// path is taken from the crate root.
    pub fn snapshot_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.settings.snapshot_dir = Some(dir.into());
        self
    }

    /// Runs each call on a worker thread and records `timeout` for a call that takes longer
    /// than `limit`. The stuck call's thread is abandoned (Rust cannot stop it); see the
    /// README on what cannot be contained in process.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = Some(limit);
        self
    }

    /// Runs cases on `jobs` threads (default 1: `cargo test` already runs tests in parallel).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.settings.jobs = jobs.max(1);
        self
    }

    /// Calls the jailed function once, catching a panic as behaviour.
    ///
    /// ```
    /// use kaizen::{Jail, jail::Outcome};
    /// let jail = Jail::new("div", |(a, b): (i32, i32)| a / b);
    /// assert_eq!(jail.call(&(6, 3)), Outcome::Returned(2));
    /// assert_eq!(jail.call(&(1, 0)), Outcome::Panicked("attempt to divide by zero".into()));
    /// ```
    pub fn call(&self, input: &I) -> Outcome<O> {
        match self.settings.timeout {
            None => panic::call_silently(&*self.f, input.clone()),
            Some(limit) => timeout::call_with_timeout(&self.f, &self.workers, input.clone(), limit),
        }
    }
}

impl<I, O> Jailed for Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    type Input = I;
    type Behaviour = Outcome<O>;

    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, input: &I) -> Outcome<O> {
        self.call(input)
    }
}
