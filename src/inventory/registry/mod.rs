//! Reconciliation with the sanctioned registry (`--registry FILE`): which discovered
//! agent units the organisation has registered, and which registered agents the scan
//! did not find (docs/registry.md).
//!
//! A registry entry names a repository (`owner/name` or a URL) and a unit path in it. A
//! unit matches an entry when both the repository identity and the path match after
//! normalising ([`RepoKey`], [`unit_path`]). An entry whose repository this scan did not
//! cover at all is `not_scanned`, never `missing`: a shard of an organisation scan sees
//! only its own repositories. Parsing the file's formats is [`parse`]'s; nothing here
//! reads a file or touches a scanned repository.

mod parse;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Inventory, Unit};
pub use parse::RegistryError;

/// One agent the organisation has registered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RegistryEntry {
    /// 1-based position in the registry file (its row in a CSV, its item in a list),
    /// so a merged inventory can tell entries apart.
    pub entry: usize,
    /// The agent's registered name.
    pub name: String,
    /// Its registered owner, when the registry names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The repository, as the registry writes it (`acme/bots`, a URL).
    pub repo: String,
    /// The unit's directory in the repository, as the registry writes it (`.` for the
    /// root).
    pub path: String,
    /// For a missing entry: the scan found its directory, but not as an agent (why:
    /// `shared`, `keys-only`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_as: Option<String>,
}

/// A parsed registry file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    /// The file as the operator named it.
    pub file: String,
    /// The first 16 hex digits of SHA-256 of its bytes: merged inventories must have
    /// been reconciled with the same file.
    pub digest: String,
    /// What the file's format was: `yaml`, `json`, `csv` or `backstage`.
    pub format: String,
    /// Its entries, in file order.
    pub entries: Vec<RegistryEntry>,
}

impl Registry {
    /// Reads `text` (the file `file`; its extension and content pick the format:
    /// [`parse`]).
    pub fn parse(file: &str, text: &str) -> Result<Registry, RegistryError> {
        let (format, entries) = parse::entries(file, text)?;
        let digest = crate::model::hex(&Sha256::digest(text.as_bytes())[..8]);
        Ok(Registry {
            file: file.to_string(),
            digest,
            format: format.to_string(),
            entries,
        })
    }
}

/// Whether a unit is in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// An entry names its repository and path.
    Registered,
    /// No entry does.
    Unregistered,
}

impl Registration {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Registered => "registered",
            Registration::Unregistered => "unregistered",
        }
    }
}

/// The registry entry a unit matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredAs {
    /// The entry's 1-based position in the registry file.
    pub entry: usize,
    /// The registered name.
    pub name: String,
    /// The registered owner, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// What reconciling with the registry found, as counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrySummary {
    /// The registry file, as the operator named it.
    pub file: String,
    /// First 16 hex of SHA-256 of the file.
    pub digest: String,
    /// `yaml`, `json`, `csv` or `backstage`.
    pub format: String,
    /// Entries in the file.
    pub entries: usize,
    /// Entries a scanned unit matched.
    pub found: usize,
    /// Entries whose repository was scanned but holds no agent unit at their path
    /// (listed in `registry_missing`).
    pub missing: usize,
    /// Entries whose repository this scan did not cover: not judged.
    pub not_scanned: usize,
    /// Agent units no entry names.
    pub unregistered: usize,
}

/// A repository identity made comparable: lower-cased, without scheme, credentials,
/// `.git` suffix or trailing slash; `git@host:owner/name` and `https://host/owner/name`
/// are the same key. A local path (an identity with no remote) keeps its segments and
/// has no host.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RepoKey {
    /// `github.com`, when the text names a host.
    pub host: Option<String>,
    /// The path segments (`acme`, `bots`).
    pub segments: Vec<String>,
}

impl RepoKey {
    /// Normalises a repository as written in a registry or an inventory.
    pub fn of(text: &str) -> RepoKey {
        let t = text.trim().replace('\\', "/");
        let t = t.strip_prefix("url:").unwrap_or(&t);
        let (host, rest) = if let Some((_, after)) = t.split_once("://") {
            // scheme://[user@]host[:port]/path
            let after = after.rsplit_once('@').map_or(after, |(_, a)| a);
            match after.split_once('/') {
                Some((h, p)) => (Some(h.to_string()), p.to_string()),
                None => (Some(after.to_string()), String::new()),
            }
        } else if let Some((user_host, path)) = t.split_once(':').filter(|(h, p)| {
            h.contains('@') && !h.contains('/') && !p.starts_with('/') && !p.is_empty()
        }) {
            // scp-like: git@host:owner/name
            let h = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
            (Some(h.to_string()), path.to_string())
        } else {
            (None, t.to_string())
        };
        let host = host.map(|h| {
            let h = h.split(':').next().unwrap_or(&h).to_ascii_lowercase();
            h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
        });
        let rest = rest.trim_end_matches('/');
        let rest = rest.strip_suffix(".git").unwrap_or(rest);
        let mut segments: Vec<String> = rest
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .map(str::to_ascii_lowercase)
            .collect();
        // `github.com/acme/bots` written without a scheme names a host too.
        let host = match host {
            Some(h) => Some(h),
            None if segments.len() >= 3 && segments[0].contains('.') && segments[0] != ".." => {
                Some(segments.remove(0))
            }
            None => None,
        };
        RepoKey { host, segments }
    }

    /// Whether the registry's `self` names the scanned repository `scanned`: with hosts
    /// on both sides, the same host and path; otherwise the shorter path is the end of
    /// the longer (`acme/bots` names `https://github.com/acme/bots.git`, a checkout at
    /// `/src/acme/bots`, and the clone `bots` of a folder of clones without remotes).
    pub fn names(&self, scanned: &RepoKey) -> bool {
        if self.segments.is_empty() || scanned.segments.is_empty() {
            return false;
        }
        match (&self.host, &scanned.host) {
            (Some(a), Some(b)) => a == b && self.segments == scanned.segments,
            _ if self.segments.len() <= scanned.segments.len() => {
                scanned.segments.ends_with(&self.segments)
            }
            _ => self.segments.ends_with(&scanned.segments),
        }
    }
}

/// A unit path made comparable: without `./`, doubled or trailing slashes; the root is
/// `.`.
pub fn unit_path(text: &str) -> String {
    let t = text.trim().replace('\\', "/");
    let parts: Vec<&str> = t
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The first entry (by position) naming `unit`.
fn entry_for<'a>(
    entries: &'a [(RepoKey, String, &'a RegistryEntry)],
    unit: &Unit,
) -> Option<&'a RegistryEntry> {
    let repo = RepoKey::of(&unit.repo);
    let path = unit_path(&unit.path);
    entries
        .iter()
        .find(|(k, p, _)| *p == path && k.names(&repo))
        .map(|(_, _, e)| *e)
}

/// Marks every agent unit of `inv` registered or unregistered, lists the registered
/// agents the scan did not find in `registry_missing`, and records the counts.
pub fn reconcile(inv: &mut Inventory, registry: &Registry) {
    let keyed: Vec<(RepoKey, String, &RegistryEntry)> = registry
        .entries
        .iter()
        .map(|e| (RepoKey::of(&e.repo), unit_path(&e.path), e))
        .collect();
    let mut found: BTreeSet<usize> = BTreeSet::new();
    for u in &mut inv.units {
        match entry_for(&keyed, u) {
            Some(e) => {
                found.insert(e.entry);
                u.registry = Some(Registration::Registered);
                u.registered_as = Some(RegisteredAs {
                    entry: e.entry,
                    name: e.name.clone(),
                    owner: e.owner.clone(),
                });
            }
            None => {
                u.registry = Some(Registration::Unregistered);
                u.registered_as = None;
            }
        }
    }
    let scanned: Vec<RepoKey> = inv
        .repositories
        .iter()
        .map(|r| RepoKey::of(&r.identity))
        .collect();
    // A directory the scan found but not as an agent says why it is missing.
    let others: BTreeMap<(RepoKey, String), String> = inv
        .not_agents
        .iter()
        .map(|u| {
            let why = u.not_agent.map_or("not an agent", |n| n.as_str());
            ((RepoKey::of(&u.repo), unit_path(&u.path)), why.to_string())
        })
        .collect();
    let mut missing = Vec::new();
    let mut not_scanned = 0;
    for (key, path, e) in &keyed {
        if found.contains(&e.entry) {
            continue;
        }
        if scanned.iter().any(|s| key.names(s)) {
            let mut m = (*e).clone();
            m.found_as = others
                .iter()
                .find(|((k, p), _)| p == path && key.names(k))
                .map(|(_, why)| why.clone());
            missing.push(m);
        } else {
            not_scanned += 1;
        }
    }
    inv.registry = Some(RegistrySummary {
        file: registry.file.clone(),
        digest: registry.digest.clone(),
        format: registry.format.clone(),
        entries: registry.entries.len(),
        found: found.len(),
        missing: missing.len(),
        not_scanned,
        unregistered: inv
            .units
            .iter()
            .filter(|u| u.registry == Some(Registration::Unregistered))
            .count(),
    });
    inv.registry_missing = Some(missing);
}

/// After a merge: the counts and `registry_missing` of the whole, from the parts'
/// (reconciled with one file, so entry positions agree). An entry a part found is not
/// missing; an entry no part found or missed was scanned by none.
pub fn recount(inv: &mut Inventory) {
    let Some(summary) = inv.registry.as_mut() else {
        return;
    };
    let found: BTreeSet<usize> = inv
        .units
        .iter()
        .filter_map(|u| u.registered_as.as_ref().map(|r| r.entry))
        .collect();
    let missing = inv.registry_missing.get_or_insert_with(Vec::new);
    missing.retain(|e| !found.contains(&e.entry));
    missing.sort();
    missing.dedup_by(|a, b| a.entry == b.entry);
    summary.found = found.len();
    summary.missing = missing.len();
    summary.not_scanned = summary
        .entries
        .saturating_sub(summary.found + summary.missing);
    summary.unregistered = inv
        .units
        .iter()
        .filter(|u| u.registry == Some(Registration::Unregistered))
        .count();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_spellings_normalise_to_one_key() {
        let k = RepoKey::of("https://github.com/Acme/Bots.git");
        for same in [
            "git@github.com:acme/bots.git",
            "ssh://git@github.com/acme/bots",
            "https://user:pw@GitHub.com/acme/bots/",
            "github.com/acme/bots",
            "https://www.github.com/acme/bots",
        ] {
            assert_eq!(RepoKey::of(same), k, "{same}");
        }
        assert!(RepoKey::of("acme/bots").names(&k));
        assert!(RepoKey::of("bots").names(&k));
        assert!(!RepoKey::of("other/bots").names(&k));
        assert!(!RepoKey::of("gitlab.com/acme/bots").names(&k));
        assert!(!RepoKey::of("https://github.com/acme/bots-2").names(&k));
        // A checkout with no remote is named by its last segments.
        let local = RepoKey::of("test-repos/monorepo-two-agents");
        assert_eq!(local.host, None);
        assert!(RepoKey::of("monorepo-two-agents").names(&local));
        assert!(RepoKey::of("./test-repos/monorepo-two-agents/").names(&local));
        assert!(!RepoKey::of("acme/monorepo-two-agents").names(&local));
        // A clone in a folder of clones, known by its folder name only.
        assert!(RepoKey::of("acme/bots").names(&RepoKey::of("bots")));
    }

    #[test]
    fn unit_paths_normalise() {
        assert_eq!(unit_path("./services/bot/"), "services/bot");
        assert_eq!(unit_path("services//bot"), "services/bot");
        assert_eq!(unit_path("."), ".");
        assert_eq!(unit_path("./"), ".");
        assert_eq!(unit_path(""), ".");
    }
}
