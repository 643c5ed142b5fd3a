//! The audit anchors of a human report in one line: when the scan ran, what scanned
//! (version, rule-pack digest), and which commit of each repository it read. The
//! table, Markdown and HTML reporters all print this line, so they always agree.
//!
//! The line is plain text, not yet made safe: each caller escapes it for its format.

use crate::inventory::{Inventory, Repository};

/// Widest line for a terminal table.
pub const TABLE_WIDTH: usize = 120;

/// Widest line for a document (Markdown, HTML): several repositories fit, an
/// organisation's thousand do not (the JSON holds them all).
pub const DOCUMENT_WIDTH: usize = 400;

/// The fewest characters of a repository worth showing with its start cut off.
const MIN_ELIDED: usize = 24;

/// Digits of a commit id shown: git's default abbreviation.
const SHORT_COMMIT: usize = 7;

/// `scanned 2026-12-06T14:03:11Z · aiscout 0.1.0 · rules <digest> · <repo>@<commit>
/// (<branch>), …`, at most `width` characters whenever the fixed part fits: the
/// repositories that do not fit are counted (`+3 more`).
pub fn line(inv: &Inventory, width: usize) -> String {
    let scanned = inv
        .scanned_at
        .as_ref()
        .map_or(String::new(), |t| format!("scanned {t} · "));
    let full = format!(
        "{scanned}{} {} · rules {}",
        inv.scanner.name, inv.scanner.version, inv.scanner.rules_digest
    );
    let repos: Vec<String> = inv.repositories.iter().map(repository).collect();
    if repos.is_empty() {
        return full;
    }
    // On a narrow terminal the repository and its commit matter more than the version
    // (the table's first line names it) and all of the digest.
    let fits = |head: &str| head.chars().count() + " · ".len() + MIN_ELIDED <= width;
    let digest = inv
        .scanner
        .rules_digest
        .get(..8)
        .unwrap_or(&inv.scanner.rules_digest);
    let out = if fits(&full) {
        full
    } else {
        format!("{scanned}rules {digest}")
    };
    with_repositories(out, &repos, width)
}

/// `head`, then as many of `repos` as fit in `width`, and the count of the rest.
fn with_repositories(mut out: String, repos: &[String], width: usize) -> String {
    let count = |n: usize| format!("{n} repositor{}", if n == 1 { "y" } else { "ies" });
    let len = |s: &str| s.chars().count();
    let mut listed = 0;
    let mut tail = String::new();
    for (i, r) in repos.iter().enumerate() {
        let sep = if i == 0 { " · " } else { ", " };
        let rest = repos.len() - i - 1;
        // Room left for this one and, when others follow, the count of the rest.
        let more = if rest > 0 {
            format!(", +{rest} more")
        } else {
            String::new()
        };
        if len(&out) + len(&tail) + len(sep) + len(r) + len(&more) > width {
            break;
        }
        tail.push_str(sep);
        tail.push_str(r);
        listed += 1;
    }
    if listed == 0 {
        // Not even the first fits whole: keep its end (name, commit, branch), which
        // says more than its host, when enough of it fits to mean something.
        let rest = repos.len() - 1;
        let more = if rest > 0 {
            format!(", +{rest} more")
        } else {
            String::new()
        };
        let room = width.saturating_sub(len(&out) + len(" · ") + len(&more));
        out.push_str(" · ");
        if room >= MIN_ELIDED {
            let first = &repos[0];
            let skip = len(first) - (room - 1);
            out.push('…');
            out.extend(first.chars().skip(skip));
            out.push_str(&more);
        } else {
            out.push_str(&count(repos.len()));
        }
    } else {
        out.push_str(&tail);
        if listed < repos.len() {
            out.push_str(&format!(", +{} more", repos.len() - listed));
        }
    }
    out
}

/// `<identity>@<short commit> (<branch>)`, the identity without scheme or `.git`.
fn repository(r: &Repository) -> String {
    let id = r.identity.as_str();
    let id = id.split_once("://").map_or(id, |(_, rest)| rest);
    let id = id.strip_suffix(".git").unwrap_or(id);
    let mut s = id.to_string();
    if let Some(c) = &r.commit {
        s.push('@');
        s.push_str(c.get(..SHORT_COMMIT).unwrap_or(c));
    }
    if let Some(b) = &r.branch {
        s.push_str(&format!(" ({b})"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ScannerInfo, SCHEMA_VERSION};

    fn inv(repos: usize) -> Inventory {
        Inventory {
            schema_version: SCHEMA_VERSION,
            scanner: ScannerInfo {
                name: "aiscout".into(),
                version: "0.1.0".into(),
                rules_digest: "0123456789abcdef".into(),
                rules: 1,
                fingerprint_key_id: "default".into(),
            },
            scanned_at: Some("2026-12-06T14:03:11Z".into()),
            status_rule: Default::default(),
            links: Vec::new(),
            registry: None,
            registry_missing: None,
            sources: vec![".".into()],
            stats: Default::default(),
            repositories: (0..repos)
                .map(|i| Repository {
                    identity: format!("https://github.com/acme/service-{i}.git"),
                    path: format!("service-{i}"),
                    git: true,
                    commit: Some(format!("{i}abcdef0123456789abcdef0123456789abcdef")),
                    branch: Some("main".into()),
                    units: 1,
                })
                .collect(),
            units: Vec::new(),
            not_agents: Vec::new(),
            ai_in_ci: Vec::new(),
        }
    }

    #[test]
    fn one_repository_shows_its_commit_and_branch() {
        assert_eq!(
            line(&inv(1), TABLE_WIDTH),
            "scanned 2026-12-06T14:03:11Z · aiscout 0.1.0 · rules 0123456789abcdef · \
             github.com/acme/service-0@0abcdef (main)"
        );
    }

    #[test]
    fn many_repositories_stay_within_the_width() {
        for n in [2, 5, 1000] {
            let l = line(&inv(n), TABLE_WIDTH);
            assert!(l.chars().count() <= TABLE_WIDTH, "{n}: {l}");
            assert!(
                l.ends_with(" more") || l.ends_with("repositories"),
                "{n}: {l}"
            );
        }
        let l = line(&inv(3), DOCUMENT_WIDTH);
        assert!(l.ends_with("service-2@2abcdef (main)"), "{l}");
        // Too long to show whole: its end, with the commit, still is.
        let mut long = inv(2);
        long.repositories[0].identity = format!("https://example.com/{}.git", "a".repeat(80));
        let l = line(&long, TABLE_WIDTH);
        assert_eq!(l.chars().count(), TABLE_WIDTH, "{l}");
        assert!(l.ends_with("aaaa@0abcdef (main), +1 more"), "{l}");
    }

    #[test]
    fn a_narrow_terminal_keeps_the_commit_before_the_version() {
        let l = line(&inv(1), 80);
        assert!(l.chars().count() <= 80, "{l}");
        assert!(!l.contains("aiscout 0.1.0"), "{l}");
        assert!(l.contains("rules 01234567 · "), "{l}");
        assert!(l.ends_with("service-0@0abcdef (main)"), "{l}");
    }
}
