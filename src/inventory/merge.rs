//! Combining inventories (of `scan --shard I/N` runs, or of separate scans) into one,
//! as if one scan had produced it. Inventories from different scanner versions, rule
//! sets or fingerprint keys are refused: their findings are not comparable.
//!
//! No unit is ever dropped silently: checkouts that share a remote get ids keyed by
//! their path, as one scan of both gives them; a unit that two inventories hold with
//! the same id is kept once only when both hold it alike, and is a [`MergeError`]
//! otherwise.

use super::Inventory;

/// Why two inventories cannot be merged. `first` and `other` are how the caller
/// names them (their files).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no inventory to merge")]
    Empty,
    /// Fingerprints made under different keys.
    #[error(
        "{other}'s secret fingerprints were made with fingerprint key {other_key}, but \
         {first}'s with key {first_key}: the same key would show different fingerprints; \
         rescan every shard with one --fingerprint-key-file"
    )]
    Key {
        /// The first inventory.
        first: String,
        /// Its key id.
        first_key: String,
        /// The one that differs.
        other: String,
        /// Its key id.
        other_key: String,
    },
    /// Two inventories hold different units under one id: the same repository
    /// scanned twice at different times, or one inventory edited.
    #[error(
        "unit {id} ({repo}, {path}) is in more than one inventory (first in {first}) with \
         different content: merging would drop one; merge inventories of distinct \
         repositories, or rescan them together"
    )]
    Conflict {
        /// The unit id.
        id: String,
        /// Its repository identity.
        repo: String,
        /// Its path in the repository.
        path: String,
        /// The first inventory that holds it.
        first: String,
    },
    /// Statuses given by different `[status]` rules do not compare.
    #[error(
        "{other} gave statuses by another [status] rule than {first}: rescan with one \
         configuration"
    )]
    StatusRule {
        /// The first inventory.
        first: String,
        /// The one that differs.
        other: String,
    },
    /// Reconciled with different registry files, or one with and one without.
    #[error(
        "{other} was reconciled with {other_registry}, but {first} with {first_registry}: \
         rescan every shard with one --registry"
    )]
    Registry {
        /// The first inventory.
        first: String,
        /// Its registry (`file (digest)`, or `no registry`).
        first_registry: String,
        /// The one that differs.
        other: String,
        /// Its registry.
        other_registry: String,
    },
    /// Made by another version or rule set.
    #[error(
        "{other} was made by {other_made}, but {first} by {first_made}: rescan with one version"
    )]
    Scanner {
        /// The first inventory.
        first: String,
        /// What made it: `aiscout VERSION with rules DIGEST`.
        first_made: String,
        /// The one that differs.
        other: String,
        /// What made it.
        other_made: String,
    },
}

/// Merges `parts` (each with the name errors call it by): sources, stats, repositories
/// and units of all, sorted and deduplicated as one scan writes them, at the earliest
/// scan time of any part.
pub fn merge(mut parts: Vec<(String, Inventory)>) -> Result<Inventory, MergeError> {
    if parts.is_empty() {
        return Err(MergeError::Empty);
    }
    // Checkouts of one remote in different inventories: key their units' ids by
    // path first, in each inventory with its own repositories.
    let all: Vec<super::Repository> = parts
        .iter()
        .flat_map(|(_, inv)| inv.repositories.iter().cloned())
        .collect();
    let shared: std::collections::BTreeSet<String> = super::shared_identities(all.iter())
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut from: std::collections::BTreeMap<String, String> = Default::default();
    for (name, inv) in &mut parts {
        if !shared.is_empty() {
            super::key_shared_checkouts(&mut inv.units, &inv.repositories, &shared);
            super::key_shared_checkouts(&mut inv.not_agents, &inv.repositories, &shared);
        }
        for u in inv.units.iter().chain(&inv.not_agents) {
            from.entry(u.id.clone()).or_insert_with(|| name.clone());
        }
    }
    let (first, mut out) = parts.remove(0);
    for (name, inv) in parts {
        if inv.scanner.fingerprint_key_id != out.scanner.fingerprint_key_id {
            return Err(MergeError::Key {
                first,
                first_key: out.scanner.fingerprint_key_id,
                other: name,
                other_key: inv.scanner.fingerprint_key_id,
            });
        }
        if inv.scanner != out.scanner {
            let made = |s: &super::ScannerInfo| {
                format!("aiscout {} with rules {}", s.version, s.rules_digest)
            };
            return Err(MergeError::Scanner {
                first,
                first_made: made(&out.scanner),
                other: name,
                other_made: made(&inv.scanner),
            });
        }
        if inv.status_rule != out.status_rule {
            return Err(MergeError::StatusRule { first, other: name });
        }
        let digest = |i: &Inventory| i.registry.as_ref().map(|r| r.digest.clone());
        if digest(&inv) != digest(&out) {
            let named = |i: &Inventory| {
                i.registry.as_ref().map_or("no registry".to_string(), |r| {
                    format!("registry {} ({})", r.file, r.digest)
                })
            };
            return Err(MergeError::Registry {
                first,
                first_registry: named(&out),
                other: name,
                other_registry: named(&inv),
            });
        }
        if let (Some(all), Some(more)) = (out.registry_missing.as_mut(), inv.registry_missing) {
            all.extend(more);
        }
        for s in inv.sources {
            if !out.sources.contains(&s) {
                out.sources.push(s);
            }
        }
        // The merged findings are as old as the oldest shard: its time anchors them.
        // ISO 8601 in UTC sorts as time does; an inventory without a time adds none.
        out.scanned_at = match (out.scanned_at.take(), inv.scanned_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        out.stats.merge(inv.stats);
        out.repositories.extend(inv.repositories);
        out.units.extend(inv.units);
        out.not_agents.extend(inv.not_agents);
        out.ai_in_ci.extend(inv.ai_in_ci);
    }
    out.stats.finish();
    out.repositories.sort();
    out.repositories.dedup();
    for units in [&mut out.units, &mut out.not_agents] {
        units.sort_by(|a, b| {
            (&a.repo, &a.path, a.kind, &a.id).cmp(&(&b.repo, &b.path, b.kind, &b.id))
        });
        // The same unit twice (a shard given twice) is kept once; two different units
        // under one id would lose one's keys and evidence.
        units.dedup_by(|a, b| a == b);
    }
    let mut ids = std::collections::BTreeMap::new();
    for u in out.units.iter().chain(&out.not_agents) {
        if let Some(other) = ids.insert(u.id.as_str(), u) {
            return Err(MergeError::Conflict {
                id: u.id.clone(),
                repo: u.repo.clone(),
                path: other.path.clone(),
                first: from.get(&u.id).cloned().unwrap_or_default(),
            });
        }
    }
    out.ai_in_ci.sort_by(|a, b| a.order().cmp(&b.order()));
    out.ai_in_ci.dedup();
    // Links cross shards: matched again over all units, from the facts they keep.
    out.links = super::links::links(&out.units);
    // An MCP server one part uses may be served in another: assessed again over all.
    super::risk::assess(&mut out.units);
    // Each part judged only its own repositories against the registry: the whole's
    // counts follow from what the parts found and missed.
    super::registry::recount(&mut out);
    Ok(out)
}
