//! Status: what governed and shadow mean, as the organisation sets it (`[status]` in
//! its configuration; docs/governance.md), and why a unit has its status.
//!
//! Whether a unit has a control is decided here once ([`StatusRule::has`]); the status,
//! the explanation reviewers read and every report's coverage figures follow from it,
//! so they cannot disagree.

use serde::{Deserialize, Serialize};

use super::{Status, Unit};

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
    /// Every control, in the order fixes are suggested.
    pub const ALL: [Control; 4] = [
        Control::Owner,
        Control::Monitoring,
        Control::Evals,
        Control::Containment,
    ];

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

/// Why a unit has its status, and what would help it most.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// One sentence: the controls the rule looked at, present or missing.
    pub why: String,
    /// The single most useful fix: the first missing control the rule requires for
    /// governed, in the order owner, monitoring, evals, containment (an owner first:
    /// someone has to make the other changes). None for a governed unit.
    pub fix: Option<String>,
}

impl StatusRule {
    /// Whether `unit` has `control`. The owner is the named one: a hint counts only
    /// under `owner_hints`, and then the inventory already holds it as the owner.
    pub fn has(&self, unit: &Unit, control: Control) -> bool {
        match control {
            Control::Owner => unit.owner.is_some(),
            Control::Monitoring => unit.monitoring.present,
            Control::Evals => unit.evals.present,
            Control::Containment => unit.containment.present,
        }
    }

    /// The status of `unit` under this rule.
    pub fn status_of(&self, unit: &Unit) -> Status {
        self.status(|c| self.has(unit, c))
    }

    /// Whether this is the built-in rule (the JSON leaves it out then).
    pub fn is_default(&self) -> bool {
        *self == StatusRule::default()
    }

    /// Why `unit` has its status under this rule, and the fix that would help most.
    pub fn explain(&self, unit: &Unit) -> Explanation {
        let status = self.status_of(unit);
        let looked: Vec<Control> = match status {
            Status::Governed => self.governed.clone(),
            Status::Shadow => self.shadow.clone(),
            // Partial: what it has and what it lacks among the governed controls.
            Status::Partial => self.governed.clone(),
        };
        let (has, lacks): (Vec<Control>, Vec<Control>) =
            looked.iter().partition(|&&c| self.has(unit, c));
        let names = |v: &[Control]| {
            v.iter()
                .map(|&c| self.missing_name(unit, c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let present = |v: &[Control]| v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        let why = match status {
            Status::Governed => format!("governed: has {}", present(&has)),
            Status::Shadow => format!("shadow: {}", names(&lacks)),
            Status::Partial if has.is_empty() => format!("partial: {}", names(&lacks)),
            Status::Partial => format!("partial: has {}; {}", present(&has), names(&lacks)),
        };
        let fix = (status != Status::Governed)
            .then(|| {
                Control::ALL
                    .into_iter()
                    .find(|&c| self.governed.contains(&c) && !self.has(unit, c))
                    .map(|c| format!("{}: {}", self.missing_name(unit, c), fix_for(unit, c)))
            })
            .flatten();
        Explanation { why, fix }
    }

    /// How a missing control reads: `no owner`, `no monitoring`; an owner hint that
    /// does not count is named as such.
    fn missing_name(&self, unit: &Unit, c: Control) -> String {
        match c {
            Control::Owner if unit.owner_hint.is_some() => {
                "no named owner (package authors are only a hint)".into()
            }
            Control::Owner => "no owner".into(),
            c => format!("no {}", c.as_str()),
        }
    }

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

/// What to add for a missing `control`. A missing owner has a one-command fix:
/// `aiscout register` writes the declaration (and the registry entry).
fn fix_for(unit: &Unit, control: Control) -> String {
    match control {
        Control::Owner if unit.owner_hint.is_some() => format!(
            "confirm it in CODEOWNERS or an owner declaration (aiscout register {} --owner TEAM)",
            unit.path
        ),
        Control::Owner => format!(
            "aiscout register {} --owner TEAM (writes owner: in aiscout.yaml), or add CODEOWNERS",
            unit.path
        ),
        Control::Monitoring => "add tracing (Langfuse, LangSmith, OpenTelemetry …)".into(),
        Control::Evals => "add offline evals run in CI (promptfoo, DeepEval, Ragas …)".into(),
        Control::Containment => {
            "add containment (a guardrail, human approval, a loop or budget limit)".into()
        }
    }
}
