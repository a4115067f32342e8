//! The kind of step a verify run checks — the Kaizen method's "refactor vs new feature".
//!
//! - **Any** (the default): changes fail, and the update mode says what is written.
//! - **Refactor** (`kaizen verify --refactor`, `KAIZEN_STEP=refactor`, [`Settings::step`]):
//!   a pure refactoring changes nothing, so any change fails whatever the update mode says,
//!   and nothing is written.
//! - **Feature** (`kaizen verify --feature`, `KAIZEN_STEP=feature`): a feature step changes
//!   behaviour on purpose, but only for the cases the ledger's entries of this step name
//!   ([`crate::ledger::named_in_step`]); any other changed case fails and the report lists
//!   it. A feature step re-records (`KAIZEN_UPDATE=always`) only when every change is named.
//!
//! [`Settings::step`]: crate::Settings::step

use std::fmt;
use std::str::FromStr;

/// The kind of step a verify run checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Step {
    /// Any step: a change fails and the update mode says what is written.
    #[default]
    Any,
    /// A pure refactoring: any change fails, and nothing is written.
    Refactor,
    /// A feature step: only the cases the ledger's entries of this step name may change.
    Feature,
}

impl Step {
    /// The values `KAIZEN_STEP` accepts.
    pub const VALUES: &'static str = "refactor, feature";

    /// The name as `KAIZEN_STEP` spells it (`any` for the default).
    ///
    /// ```
    /// use kaizen::step::Step;
    /// assert_eq!(Step::Feature.as_str(), "feature");
    /// assert_eq!("refactor".parse::<Step>().unwrap(), Step::Refactor);
    /// assert!("features".parse::<Step>().is_err());
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Any => "any",
            Step::Refactor => "refactor",
            Step::Feature => "feature",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step name that is not one of [`Step::VALUES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStep(pub String);

impl FromStr for Step {
    type Err = UnknownStep;

    /// Reads `refactor`, `feature` or `any`, in any case.
    fn from_str(text: &str) -> Result<Step, UnknownStep> {
        match text.trim().to_ascii_lowercase().as_str() {
            "any" => Ok(Step::Any),
            "refactor" => Ok(Step::Refactor),
            "feature" => Ok(Step::Feature),
            _ => Err(UnknownStep(text.to_string())),
        }
    }
}

/// The most numbers of unnamed changed cases a verdict keeps (the rest are counted).
pub const MAX_UNNAMED_LISTED: usize = 1000;

/// What a feature step found: the changed cases the ledger's entries of this step do not
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unnamed {
    /// How many changed cases are not named.
    pub count: usize,
    /// The first [`MAX_UNNAMED_LISTED`] of them, by case number.
    pub cases: Vec<usize>,
}

impl Unnamed {
    /// Counts changed case `number` as not named.
    pub fn add(&mut self, number: usize) {
        self.count += 1;
        self.insert(number);
        self.cases.truncate(MAX_UNNAMED_LISTED);
    }

    /// Adds the unnamed cases of another part of the same jail's cases (a shard).
    ///
    /// ```
    /// use kaizen::step::Unnamed;
    /// let mut a = Unnamed::default();
    /// a.add(9);
    /// let mut b = Unnamed::default();
    /// b.add(2);
    /// b.add(30);
    /// a.merge(b);
    /// assert_eq!((a.count, a.cases), (3, vec![2, 9, 30]));
    /// ```
    pub fn merge(&mut self, other: Unnamed) {
        self.count += other.count;
        for n in other.cases {
            self.insert(n);
        }
        self.cases.truncate(MAX_UNNAMED_LISTED);
    }

    fn insert(&mut self, number: usize) {
        let at = self.cases.partition_point(|&n| n < number);
        self.cases.insert(at, number);
    }
}
