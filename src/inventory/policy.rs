//! What `--fail-on` can require of an inventory, and the one-line reason for each
//! violation. Shared by `scan` (the exit code) and the SARIF reporter (which marks
//! what the policy fails on as `error`), so both always agree.

use std::collections::BTreeSet;

use super::risk::ReasonKind;
use super::{Inventory, Registration, Status, Unit};
use crate::model::Kind;

/// What `--fail-on` (and `[scan] fail_on` in `aiscout.toml`) can require.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Any AI credential (not baselined, not suppressed).
    Secret,
    /// Any shadow agent: no named owner and no monitoring.
    Shadow,
    /// Any agent without a named owner.
    Unowned,
    /// Any agent without monitoring.
    Unmonitored,
    /// Any agent without offline evals.
    NoEvals,
    /// Any agent whose unit id is absent from `--baseline-inventory OLD.json`.
    NewAgent,
    /// Any agent with a shell or code-execution tool and no guardrail, human approval or
    /// loop limit (its risk has an `unguarded-exec` reason).
    UnboundedExec,
    /// Any agent the sanctioned registry (`--registry`) does not list.
    Unregistered,
}

impl Policy {
    /// The name used on the command line and in `aiscout.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Secret => "secret",
            Policy::Shadow => "shadow",
            Policy::Unowned => "unowned",
            Policy::Unmonitored => "unmonitored",
            Policy::NoEvals => "no-evals",
            Policy::NewAgent => "new-agent",
            Policy::UnboundedExec => "unbounded-exec",
            Policy::Unregistered => "unregistered",
        }
    }

    /// Whether `unit` breaks this policy by itself (secrets and new agents need more
    /// than the unit: see [`violations`]).
    pub fn fails_unit(self, unit: &Unit) -> bool {
        match self {
            Policy::Shadow => unit.status == Status::Shadow,
            Policy::Unowned => unit.owner.is_none(),
            Policy::Unmonitored => !unit.monitoring.present,
            Policy::NoEvals => !unit.evals.present,
            Policy::UnboundedExec => unit.risk.as_ref().is_some_and(|r| r.unbounded_exec()),
            Policy::Unregistered => unit.registry == Some(Registration::Unregistered),
            Policy::Secret | Policy::NewAgent => false,
        }
    }
}

fn unit_place(u: &Unit) -> String {
    format!("{}: {} ({})", u.repo, u.path, u.id)
}

/// Every violation of `policies` in `inv`, one line each. `known_units` holds the
/// unit ids of the baseline inventory; without it `new-agent` finds nothing (the
/// CLI refuses `new-agent` without `--baseline-inventory`).
pub fn violations(
    inv: &Inventory,
    policies: &[Policy],
    known_units: Option<&BTreeSet<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    let on = |p: Policy| policies.contains(&p);
    for u in &inv.units {
        if on(Policy::NewAgent) && known_units.is_some_and(|k| !k.contains(&u.id)) {
            out.push(format!(
                "new-agent: {}: not in the baseline inventory",
                unit_place(u)
            ));
        }
        if on(Policy::Shadow) && Policy::Shadow.fails_unit(u) {
            out.push(format!(
                "shadow: {}: no named owner and no monitoring",
                unit_place(u)
            ));
        }
        if on(Policy::Unowned) && Policy::Unowned.fails_unit(u) {
            out.push(format!(
                "unowned: {}: no named owner (aiscout.yaml, CODEOWNERS or catalog-info.yaml)",
                unit_place(u)
            ));
        }
        if on(Policy::Unmonitored) && Policy::Unmonitored.fails_unit(u) {
            out.push(format!(
                "unmonitored: {}: no monitoring or tracing found",
                unit_place(u)
            ));
        }
        if on(Policy::NoEvals) && Policy::NoEvals.fails_unit(u) {
            out.push(format!(
                "no-evals: {}: no offline evals found",
                unit_place(u)
            ));
        }
        if on(Policy::UnboundedExec) && Policy::UnboundedExec.fails_unit(u) {
            let tools: Vec<String> = u
                .risk
                .iter()
                .flat_map(|r| &r.reasons)
                .filter(|r| r.kind == ReasonKind::UnguardedExec)
                .map(|r| format!("{} at {}:{}", r.name, r.at.path, r.at.line))
                .collect();
            out.push(format!(
                "unbounded-exec: {}: {} with no guardrail, human approval or loop limit",
                unit_place(u),
                tools.join(", ")
            ));
        }
        if on(Policy::Unregistered) && Policy::Unregistered.fails_unit(u) {
            out.push(format!(
                "unregistered: {}: not in the registry; fix: aiscout register {} --owner TEAM \
                 --registry FILE",
                unit_place(u),
                u.path
            ));
        }
    }
    if !on(Policy::Secret) {
        return out;
    }
    // Every unit: a key where no agent lives is still a key.
    for u in inv.all_units() {
        for e in u
            .evidence
            .iter()
            .filter(|e| e.kind == Kind::Secret && !e.baselined)
        {
            let (shown, fp) = e
                .secret
                .as_ref()
                .map_or(("?", "?"), |s| (s.shown.as_str(), s.fingerprint.as_str()));
            let place = match &e.history {
                Some(h) if !h.at_head => format!(
                    "{} (history: {} {})",
                    h.path,
                    h.commit.get(..12).unwrap_or(&h.commit),
                    h.date
                ),
                _ => format!("{}:{}", e.path, e.line),
            };
            out.push(format!(
                "secret: {}: {place}: {} key {shown} (fingerprint {fp})",
                u.repo, e.identifies
            ));
        }
    }
    out
}
