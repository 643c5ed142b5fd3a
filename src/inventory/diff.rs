//! What changed between two inventories: what a weekly scheduled scan alerts on.
//! [`Diff::between`] compares by unit id (stable across machines and runs) and by
//! secret fingerprint; `report::diff` renders a [`Diff`] as a table, JSON or Markdown.
//!
//! A *status regression* is a unit whose status got worse (governed → partial →
//! shadow) or that lost its owner, monitoring or evals.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Inventory, Registration, RiskLevel, Status, Unit};

/// A unit, briefly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitBrief {
    /// Unit id.
    pub id: String,
    /// Repository identity.
    pub repo: String,
    /// Path in the repository.
    pub path: String,
    /// Governance status.
    pub status: Status,
    /// Owner, if named.
    pub owner: Option<String>,
    /// Providers.
    pub providers: Vec<String>,
    /// Model ids.
    pub models: Vec<String>,
    /// Risk level, when the inventory has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskLevel>,
    /// In the registry or not, when the inventory was reconciled with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<Registration>,
}

impl UnitBrief {
    fn of(u: &Unit) -> UnitBrief {
        UnitBrief {
            id: u.id.clone(),
            repo: u.repo.clone(),
            path: u.path.clone(),
            status: u.status,
            owner: u.owner.as_ref().map(|o| o.value.clone()),
            providers: u.providers.clone(),
            models: u.models.iter().map(|m| m.id.clone()).collect(),
            risk: u.risk.as_ref().map(|r| r.level),
            registry: u.registry,
        }
    }
}

/// How a unit present in both inventories changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChange {
    /// The unit as it is now.
    pub unit: UnitBrief,
    /// Status before, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_was: Option<Status>,
    /// Owner before, when it changed (`null`: had none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_was: Option<Option<String>>,
    /// Controls it had and no longer has: `owner`, `monitoring`, `evals`, `containment`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<String>,
    /// Controls it did not have and now has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gained: Vec<String>,
    /// Providers it did not use before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_providers: Vec<String>,
    /// Frameworks it did not use before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_frameworks: Vec<String>,
    /// Model ids it did not use before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_models: Vec<String>,
    /// Risk level before, when both inventories have one and it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_was: Option<RiskLevel>,
    /// Registry state before, when both were reconciled with a registry and it changed
    /// (`registered` → `unregistered`: its entry was removed or it moved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_was: Option<Registration>,
    /// Status got worse, or it lost its owner, monitoring or evals.
    pub regression: bool,
}

/// A secret whose fingerprint the old inventory does not hold anywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSecret {
    /// The unit it is in.
    pub unit_id: String,
    /// Repository identity.
    pub repo: String,
    /// Path in the repository.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// Provider.
    pub provider: String,
    /// Detection rule.
    pub rule_id: String,
    /// Redacted prefix, never the value.
    pub shown: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Accepted in a baseline (never fails `new-secret`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
}

/// What changed from one inventory to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// Units in the new inventory only.
    pub new_units: Vec<UnitBrief>,
    /// Units in the old inventory only.
    pub removed_units: Vec<UnitBrief>,
    /// Units in both that changed in governance or in what they use.
    pub changed_units: Vec<UnitChange>,
    /// Secrets with a fingerprint the old inventory does not hold.
    pub new_secrets: Vec<NewSecret>,
}

/// What `aiscout diff --fail-on` can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffPolicy {
    /// Any unit absent from OLD.
    NewAgent,
    /// Any secret (not baselined) whose fingerprint OLD does not hold.
    NewSecret,
    /// Any unit whose status got worse or that lost its owner, monitoring or evals.
    StatusRegression,
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Governed => 0,
        Status::Partial => 1,
        Status::Shadow => 2,
    }
}

fn added(old: &[String], new: &[String]) -> Vec<String> {
    new.iter().filter(|n| !old.contains(n)).cloned().collect()
}

fn controls(u: &Unit) -> [(&'static str, bool); 4] {
    [
        ("owner", u.owner.is_some()),
        ("monitoring", u.monitoring.present),
        ("evals", u.evals.present),
        ("containment", u.containment.present),
    ]
}

impl Diff {
    /// Compares `old` with `new`.
    pub fn between(old: &Inventory, new: &Inventory) -> Diff {
        let old_units: BTreeMap<&str, &Unit> =
            old.units.iter().map(|u| (u.id.as_str(), u)).collect();
        let new_ids: BTreeSet<&str> = new.units.iter().map(|u| u.id.as_str()).collect();
        let old_fps: BTreeSet<&str> = old
            .all_units()
            .flat_map(|u| &u.secrets)
            .map(|s| s.fingerprint.as_str())
            .collect();
        let mut d = Diff::default();
        for u in &new.units {
            let Some(o) = old_units.get(u.id.as_str()) else {
                d.new_units.push(UnitBrief::of(u));
                continue;
            };
            let (was, now) = (controls(o), controls(u));
            let lost: Vec<String> = was
                .iter()
                .zip(&now)
                .filter(|(w, n)| w.1 && !n.1)
                .map(|(w, _)| w.0.to_string())
                .collect();
            let gained: Vec<String> = was
                .iter()
                .zip(&now)
                .filter(|(w, n)| !w.1 && n.1)
                .map(|(w, _)| w.0.to_string())
                .collect();
            let old_owner = o.owner.as_ref().map(|x| x.value.clone());
            let new_owner = u.owner.as_ref().map(|x| x.value.clone());
            let old_models: Vec<String> = o.models.iter().map(|m| m.id.clone()).collect();
            let new_models: Vec<String> = u.models.iter().map(|m| m.id.clone()).collect();
            let change = UnitChange {
                unit: UnitBrief::of(u),
                status_was: (o.status != u.status).then_some(o.status),
                owner_was: (old_owner != new_owner).then_some(old_owner),
                regression: rank(u.status) > rank(o.status)
                    || lost.iter().any(|l| l != "containment"),
                lost,
                gained,
                new_providers: added(&o.providers, &u.providers),
                new_frameworks: added(&o.frameworks, &u.frameworks),
                new_models: added(&old_models, &new_models),
                risk_was: match (&o.risk, &u.risk) {
                    (Some(a), Some(b)) if a.level != b.level => Some(a.level),
                    _ => None,
                },
                registry_was: match (o.registry, u.registry) {
                    (Some(a), Some(b)) if a != b => Some(a),
                    _ => None,
                },
            };
            if change.status_was.is_some()
                || change.owner_was.is_some()
                || !change.lost.is_empty()
                || !change.gained.is_empty()
                || !change.new_providers.is_empty()
                || !change.new_frameworks.is_empty()
                || !change.new_models.is_empty()
                || change.risk_was.is_some()
                || change.registry_was.is_some()
            {
                d.changed_units.push(change);
            }
        }
        for o in old
            .units
            .iter()
            .filter(|o| !new_ids.contains(o.id.as_str()))
        {
            d.removed_units.push(UnitBrief::of(o));
        }
        let mut seen = BTreeSet::new();
        for u in new.all_units() {
            for s in &u.secrets {
                if old_fps.contains(s.fingerprint.as_str())
                    || !seen.insert((s.fingerprint.as_str(), s.path.as_str(), s.line))
                {
                    continue;
                }
                d.new_secrets.push(NewSecret {
                    unit_id: u.id.clone(),
                    repo: u.repo.clone(),
                    path: s.path.clone(),
                    line: s.line,
                    provider: s.provider.clone(),
                    rule_id: s.rule_id.clone(),
                    shown: s.shown.clone(),
                    fingerprint: s.fingerprint.clone(),
                    baselined: s.baselined,
                });
            }
        }
        d
    }

    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new_units.is_empty()
            && self.removed_units.is_empty()
            && self.changed_units.is_empty()
            && self.new_secrets.is_empty()
    }

    /// Every violation of `policies`, one line each.
    pub fn violations(&self, policies: &[DiffPolicy]) -> Vec<String> {
        let mut out = Vec::new();
        if policies.contains(&DiffPolicy::NewAgent) {
            for u in &self.new_units {
                out.push(format!("new-agent: {}: {} ({})", u.repo, u.path, u.id));
            }
        }
        if policies.contains(&DiffPolicy::StatusRegression) {
            for c in self.changed_units.iter().filter(|c| c.regression) {
                out.push(format!(
                    "status-regression: {}: {} ({}): {}",
                    c.unit.repo,
                    c.unit.path,
                    c.unit.id,
                    change_words(c)
                ));
            }
        }
        if policies.contains(&DiffPolicy::NewSecret) {
            for s in self.new_secrets.iter().filter(|s| !s.baselined) {
                out.push(format!(
                    "new-secret: {}: {}:{}: {} key {} (fingerprint {})",
                    s.repo, s.path, s.line, s.provider, s.shown, s.fingerprint
                ));
            }
        }
        out
    }
}

/// A unit change in words: `status partial → shadow; lost owner; new models: gpt-4o`.
pub fn change_words(c: &UnitChange) -> String {
    let mut parts = Vec::new();
    if let Some(was) = c.status_was {
        parts.push(format!(
            "status {} → {}",
            was.as_str(),
            c.unit.status.as_str()
        ));
    }
    if let Some(was) = &c.owner_was {
        parts.push(format!(
            "owner {} → {}",
            was.as_deref().unwrap_or("none"),
            c.unit.owner.as_deref().unwrap_or("none")
        ));
    }
    if !c.lost.is_empty() {
        parts.push(format!("lost {}", c.lost.join(", ")));
    }
    if !c.gained.is_empty() {
        parts.push(format!("gained {}", c.gained.join(", ")));
    }
    if let (Some(was), Some(now)) = (c.risk_was, c.unit.risk) {
        parts.push(format!("risk {} → {}", was.as_str(), now.as_str()));
    }
    if let (Some(was), Some(now)) = (c.registry_was, c.unit.registry) {
        parts.push(format!("{} → {}", was.as_str(), now.as_str()));
    }
    for (what, v) in [
        ("providers", &c.new_providers),
        ("frameworks", &c.new_frameworks),
        ("models", &c.new_models),
    ] {
        if !v.is_empty() {
            parts.push(format!("new {what}: {}", v.join(", ")));
        }
    }
    parts.join("; ")
}
