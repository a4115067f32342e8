//! The note a verdict carries when a snapshot was recorded under other redactions than its
//! jail has now (see [`super::Verdict::redactions_changed`]).

/// The redactions a snapshot was recorded with and those its jail has now, when they
/// differ (see [`Verdict::redactions_changed`](super::Verdict::redactions_changed)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactionsChanged {
    /// As the snapshot's header lists them (`.id → [id]`), in order.
    pub recorded: Vec<String>,
    /// As the jail has them now.
    pub now: Vec<String>,
}

impl RedactionsChanged {
    /// The change between the `recorded` redactions (`None`: no snapshot was read) and
    /// those of `ctx`, if any.
    pub(crate) fn between(
        recorded: Option<Vec<String>>,
        ctx: &super::Context<'_>,
    ) -> Option<RedactionsChanged> {
        let recorded = recorded?;
        (recorded != ctx.redactions).then(|| RedactionsChanged {
            recorded,
            now: ctx.redactions.clone(),
        })
    }

    /// What the report says: `this snapshot was recorded with redactions [..]; the jail now
    /// has [..] — re-record after changing redactions (COMMAND)`.
    pub fn note(&self, record_command: &str) -> String {
        let list = |rules: &[String]| {
            if rules.is_empty() {
                "none".to_string()
            } else {
                format!("[{}]", rules.join(", "))
            }
        };
        format!(
            "this snapshot was recorded with redactions {}; the jail now has {} — re-record after changing redactions ({record_command}), then review what changed",
            list(&self.recorded),
            list(&self.now)
        )
    }
}
