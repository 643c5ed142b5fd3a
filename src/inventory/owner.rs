//! Owner resolution: who owns a unit, and from which source.
//!
//! Order (strongest first): an explicit `aiscout.yaml` / `.aiscout.toml` declaration in
//! the unit's directory; CODEOWNERS (GitHub's semantics: the first of
//! `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS` is the file; its last matching
//! pattern wins; a matching pattern with no owners means "no owner"); a Backstage
//! `catalog-info.yaml` `spec.owner` in the unit's directory, then the repository root;
//! an explicit declaration at the repository root; package metadata authors (weakest).
//! Git authorship is never an owner.

use ignore::gitignore::GitignoreBuilder;

use super::{Location, Owner};
use crate::model::Evidence;

/// The source of an owner the repository declares itself (`aiscout.yaml`,
/// `.aiscout.toml`).
pub const DECLARED: &str = "aiscout";

/// The owner sources found in a repository, from owner evidence.
#[derive(Debug, Default)]
pub struct OwnerSources {
    /// CODEOWNERS lines (pattern and owners) of the file GitHub uses, in order.
    codeowners: Vec<(String, Vec<String>, Location)>,
    /// (directory, owner, location) of aiscout declarations.
    declared: Vec<(String, String, Location)>,
    /// (directory, owner, location) of Backstage catalog entries.
    backstage: Vec<(String, String, Location)>,
    /// (directory, author, location) of package metadata.
    package: Vec<(String, String, Location)>,
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn loc(e: &Evidence) -> Location {
    Location {
        path: e.path.clone(),
        line: e.line,
        rule_id: e.rule_id.clone(),
    }
}

impl OwnerSources {
    /// Collects owner evidence (kind `owner`; `identifies` names the source:
    /// `codeowners`, `aiscout`, `backstage`, `package`).
    pub fn from_evidence<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> Self {
        let mut s = OwnerSources::default();
        let mut codeowners_files: Vec<&Evidence> = Vec::new();
        for e in evidence {
            let dir = dir_of(&e.path).to_string();
            // A template's variable or an example address names nobody.
            if e.identifies != "codeowners" && is_placeholder(&e.matched) {
                continue;
            }
            match e.identifies.as_str() {
                "codeowners" => codeowners_files.push(e),
                "aiscout" => s.declared.push((dir, e.matched.trim().to_string(), loc(e))),
                "backstage" => s
                    .backstage
                    .push((dir, e.matched.trim().to_string(), loc(e))),
                "package" => s.package.push((dir, e.matched.trim().to_string(), loc(e))),
                _ => {}
            }
        }
        // GitHub reads the first of these and ignores the others.
        let chosen = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]
            .into_iter()
            .find(|f| codeowners_files.iter().any(|e| e.path == *f));
        if let Some(file) = chosen {
            let mut lines: Vec<&Evidence> = codeowners_files
                .into_iter()
                .filter(|e| e.path == file)
                .collect();
            lines.sort_by_key(|e| e.line);
            for e in lines {
                let mut parts = e.matched.split_whitespace();
                let Some(pattern) = parts.next() else {
                    continue;
                };
                if pattern.starts_with('#') {
                    continue;
                }
                let owners: Vec<String> = parts
                    .take_while(|p| !p.starts_with('#'))
                    .map(str::to_string)
                    .collect();
                s.codeowners.push((pattern.to_string(), owners, loc(e)));
            }
        }
        s
    }

    /// The named owner of the unit at `unit_dir` (`""` for the root), probed with
    /// `probe` (a file of the unit) for CODEOWNERS: an aiscout declaration, CODEOWNERS
    /// or Backstage. Package authors are only a hint ([`OwnerSources::hint`]).
    pub fn resolve(&self, unit_dir: &str, probe: &str) -> Option<Owner> {
        let at = |list: &[(String, String, Location)], dir: &str| {
            list.iter()
                .find(|(d, v, _)| d == dir && !v.is_empty())
                .cloned()
        };
        if !unit_dir.is_empty() {
            if let Some((_, v, l)) = at(&self.declared, unit_dir) {
                return Some(owner(v, "aiscout", l));
            }
        }
        if let Some((owners, l)) = self.codeowners_for(probe) {
            // A last match without owners explicitly leaves the path unowned.
            if !owners.is_empty() {
                return Some(owner(owners.join(" "), "codeowners", l));
            }
        }
        if let Some((_, v, l)) = at(&self.backstage, unit_dir).or_else(|| at(&self.backstage, "")) {
            return Some(owner(v, "backstage", l));
        }
        if let Some((_, v, l)) = at(&self.declared, "") {
            return Some(owner(v, "aiscout", l));
        }
        None
    }

    /// A hint at who owns the unit at `unit_dir`: the authors its package metadata
    /// names. People, who may have left; never a named owner.
    pub fn hint(&self, unit_dir: &str) -> Option<Owner> {
        self.package
            .iter()
            .find(|(d, v, _)| d == unit_dir && !v.is_empty())
            .map(|(_, v, l)| owner(v.clone(), "package", l.clone()))
    }

    /// The owners of the last CODEOWNERS pattern matching `path`.
    fn codeowners_for(&self, path: &str) -> Option<(Vec<String>, Location)> {
        let mut found = None;
        for (pattern, owners, l) in &self.codeowners {
            if matches(pattern, path) {
                found = Some((owners.clone(), l.clone()));
            }
        }
        found
    }
}

/// An owner value that names nobody: a template variable (`${{values.owner}}`,
/// `{{ cookiecutter.team }}`, `<team>`), an example address, or a stand-in word.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    v.is_empty()
        || v.contains("${")
        || v.contains("{{")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.ends_with("@example.com")
        || v.ends_with("@example.org")
        || v.ends_with("@example.net")
        || matches!(
            v.as_str(),
            "owner" | "team" | "your-team" | "your-name" | "todo" | "tbd" | "unknown" | "changeme"
        )
}

/// The teams an owner names: `@org/team` handles, Backstage groups (`group:…`, or a
/// bare name, which Backstage reads as a group), `team:…`, and bare names in an
/// aiscout declaration. People (`@user`, an e-mail address, `user:…`, package
/// authors) are not teams; an owner that names only people gives none.
pub fn teams(o: &Owner) -> Vec<String> {
    if o.source == "package" {
        return Vec::new();
    }
    o.value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty() && is_team(t, &o.source))
        .map(str::to_string)
        .collect()
}

fn is_team(token: &str, source: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    if let Some(handle) = lower.strip_prefix('@') {
        return handle.contains('/');
    }
    if lower.contains('@') || lower.starts_with("user:") {
        return false;
    }
    if lower.starts_with("group:") || lower.starts_with("team:") {
        return true;
    }
    // CODEOWNERS names people and teams only by `@` handles and e-mail addresses.
    source != "codeowners"
}

fn owner(value: String, source: &str, evidence: Location) -> Owner {
    Owner {
        self_declared: false,
        value,
        source: source.to_string(),
        evidence,
    }
}

/// Does one CODEOWNERS pattern (gitignore syntax, as GitHub applies it) match `path`
/// or a directory above it?
fn matches(pattern: &str, path: &str) -> bool {
    // `ignore` panics on a rooted path, also one that is rooted only once it has
    // dropped a leading `./` itself (`.//x`); repository paths never are, but a crafted
    // git tree entry could be (both found by fuzzing).
    let mut path = path;
    while let Some(rest) = path.strip_prefix('/').or_else(|| path.strip_prefix("./")) {
        path = rest;
    }
    if path.is_empty() {
        return false;
    }
    let mut b = GitignoreBuilder::new("");
    if b.add_line(None, pattern).is_err() {
        return false;
    }
    let Ok(gi) = b.build() else { return false };
    gi.matched_path_or_any_parents(path, false).is_ignore()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Method};

    fn ev(path: &str, line: u32, identifies: &str, matched: &str) -> Evidence {
        Evidence {
            path: path.into(),
            cell: None,
            line,
            column: 1,
            rule_id: format!("owner.{identifies}"),
            kind: Kind::Owner,
            identifies: identifies.into(),
            category: None,
            method: Method::Pattern,
            matched: matched.into(),
            snippet: String::new(),
            secret: None,
            in_test: false,
            history: None,
            baselined: false,
            file: Default::default(),
        }
    }

    #[test]
    fn codeowners_last_match_wins_and_directories_apply() {
        let evidence = [
            ev(".github/CODEOWNERS", 1, "codeowners", "* @acme/default"),
            ev(
                ".github/CODEOWNERS",
                2,
                "codeowners",
                "/services/ @acme/services",
            ),
            ev(
                ".github/CODEOWNERS",
                3,
                "codeowners",
                "services/bot/ @acme/bot-team @alice",
            ),
            ev(".github/CODEOWNERS", 4, "codeowners", "*.md @acme/docs"),
            ev(".github/CODEOWNERS", 5, "codeowners", "/services/orphan/"),
            // Ignored: GitHub reads only .github/CODEOWNERS when it exists.
            ev("CODEOWNERS", 1, "codeowners", "* @someone-else"),
        ];
        let s = OwnerSources::from_evidence(evidence.iter());
        let o = s
            .resolve("services/bot", "services/bot/src/agent.py")
            .unwrap();
        assert_eq!(
            (o.value.as_str(), o.source.as_str(), o.evidence.line),
            ("@acme/bot-team @alice", "codeowners", 3)
        );
        assert_eq!(
            s.resolve("services/x", "services/x/main.py").unwrap().value,
            "@acme/services"
        );
        assert_eq!(s.resolve("", "app.py").unwrap().value, "@acme/default");
        // A last match without owners leaves the unit unowned.
        assert!(s
            .resolve("services/orphan", "services/orphan/a.py")
            .is_none());
    }

    #[test]
    fn declarations_backstage_and_package_in_order() {
        let evidence = [
            ev("services/bot/aiscout.yaml", 2, "aiscout", "team-bot"),
            ev("catalog-info.yaml", 5, "backstage", "group:platform"),
            ev("services/api/package.json", 3, "package", "Jane Doe"),
            ev("CODEOWNERS", 1, "codeowners", "/docs/ @docs"),
        ];
        let s = OwnerSources::from_evidence(evidence.iter());
        assert_eq!(
            s.resolve("services/bot", "services/bot/x.py")
                .unwrap()
                .source,
            "aiscout"
        );
        let api = s.resolve("services/api", "services/api/x.ts").unwrap();
        assert_eq!(
            (api.value.as_str(), api.source.as_str()),
            ("group:platform", "backstage")
        );
        // Issue 16: package authors are a hint, never the named owner.
        let s2 = OwnerSources::from_evidence(evidence[2..].iter());
        assert!(s2.resolve("services/api", "services/api/x.ts").is_none());
        assert_eq!(s2.hint("services/api").unwrap().value, "Jane Doe");
        assert!(
            s2.resolve("other", "other/x.ts").is_none(),
            "CODEOWNERS covering only docs owns nothing else"
        );
    }

    /// Issue 12: a template variable or an example address names nobody.
    #[test]
    fn issue_12_placeholder_owners_are_no_owners() {
        for value in [
            "${{values.teamOwner}}",
            "{{ cookiecutter.team }}",
            "john@example.com",
            "<your-team>",
            "TODO",
        ] {
            let e = [ev("catalog-info.yaml", 5, "backstage", value)];
            let s = OwnerSources::from_evidence(e.iter());
            assert!(s.resolve("", "a.py").is_none(), "{value}");
        }
        let real = [ev("catalog-info.yaml", 5, "backstage", "group:default/ai")];
        assert!(OwnerSources::from_evidence(real.iter())
            .resolve("", "a.py")
            .is_some());
    }

    /// Teams are handles of groups; people are not presented as teams.
    #[test]
    fn teams_are_group_handles_not_people() {
        let o = |value: &str, source: &str| Owner {
            value: value.into(),
            source: source.into(),
            evidence: Location {
                path: "CODEOWNERS".into(),
                line: 1,
                rule_id: "owner.codeowners".into(),
            },
            self_declared: false,
        };
        assert_eq!(
            teams(&o("@acme/ai @jane jane@acme.io", "codeowners")),
            ["@acme/ai"]
        );
        assert!(teams(&o("@jane", "codeowners")).is_empty());
        assert!(teams(&o("bob", "codeowners")).is_empty());
        assert_eq!(
            teams(&o("group:default/ai", "backstage")),
            ["group:default/ai"]
        );
        assert!(teams(&o("user:default/jane", "backstage")).is_empty());
        assert_eq!(teams(&o("payments", "aiscout")), ["payments"]);
        assert_eq!(teams(&o("team:payments", "aiscout")), ["team:payments"]);
        assert!(teams(&o("@acme/ai", "package")).is_empty());
    }
}
