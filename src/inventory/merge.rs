//! Combining inventories (of `scan --shard I/N` runs, or of separate scans) into one,
//! as if one scan had produced it. Inventories from different scanner versions, rule
//! sets or fingerprint keys are refused: their findings are not comparable.

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
/// and units of all, sorted and deduplicated as one scan writes them.
pub fn merge(mut parts: Vec<(String, Inventory)>) -> Result<Inventory, MergeError> {
    if parts.is_empty() {
        return Err(MergeError::Empty);
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
        for s in inv.sources {
            if !out.sources.contains(&s) {
                out.sources.push(s);
            }
        }
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
        units.sort_by(|a, b| (&a.repo, &a.path, a.kind).cmp(&(&b.repo, &b.path, b.kind)));
        units.dedup_by(|a, b| a.id == b.id);
    }
    out.ai_in_ci
        .sort_by(|a, b| (&a.repo, &a.path, &a.action).cmp(&(&b.repo, &b.path, &b.action)));
    out.ai_in_ci.dedup();
    Ok(out)
}
