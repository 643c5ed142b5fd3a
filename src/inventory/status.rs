//! Status: what governed and shadow mean, as the organisation sets it (`[status]` in
//! its configuration; docs/governance.md).

use serde::{Deserialize, Serialize};

use super::Status;

/// A governance control a status rule can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// A named owner.
    Owner,
    /// Monitoring / tracing.
    Monitoring,
    /// Offline evals.
    Evals,
    /// Containment.
    Containment,
}

impl Control {
    /// The name used in `aiscout.toml` and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Control::Owner => "owner",
            Control::Monitoring => "monitoring",
            Control::Evals => "evals",
            Control::Containment => "containment",
        }
    }
}

/// The status rule (docs/governance.md), configurable in `aiscout.toml` `[status]`:
/// `governed` when every control in `governed` is present; `shadow` when every
/// control in `shadow` is missing; `partial` otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatusRule {
    /// Controls a governed unit has.
    pub governed: Vec<Control>,
    /// Controls whose absence, all together, makes a unit shadow AI.
    pub shadow: Vec<Control>,
    /// Count a hint at the owner (package authors) as the owner control. Off by
    /// default: authors are people who wrote the package, not who answers for it.
    pub owner_hints: bool,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule {
            governed: vec![Control::Owner, Control::Monitoring, Control::Evals],
            shadow: vec![Control::Owner, Control::Monitoring],
            owner_hints: false,
        }
    }
}

impl StatusRule {
    /// The status of a unit with these controls present.
    pub fn status(&self, has: impl Fn(Control) -> bool) -> Status {
        if self.governed.iter().all(|&c| has(c)) {
            Status::Governed
        } else if !self.shadow.is_empty() && self.shadow.iter().all(|&c| !has(c)) {
            Status::Shadow
        } else {
            Status::Partial
        }
    }
}
