//! The rule set a scan runs: the built-in pack (every `rules/*.yaml` of the source tree,
//! converted to JSON at build time and embedded) plus user packs, sorted by id, ids
//! unique, with a digest that says which rules made an inventory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::compile::{Rule, RuleError};
use super::syntax::{PackJson, PackSyntax, RuleSyntax};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// How a user's pack is read, the same way build.rs reads the built-in ones: YAML 1.2
/// core scalars (only `true`/`false` are booleans; `yes`, `0755` and `1_000` stay
/// strings); a duplicate key is an error; messages carry no source text (a pack's
/// examples may hold key-shaped strings). serde-saphyr's default budget bounds the
/// rest: nesting 64, alias replay 1,000,000 events, 250,000 nodes.
fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.with_snippet = false;
    options
}

/// Every rule a scan runs, in a stable order (by id).
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in pack (every `rules/*.yaml` of the source tree).
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN_RULES {
            set.add_builtin(&format!("builtin:{name}"), text)?;
        }
        set.finish()?;
        Ok(set)
    }

    /// The built-in pack plus every `*.yaml`/`*.yml` under each of `dirs`.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN_RULES {
            set.add_builtin(&format!("builtin:{name}"), text)?;
        }
        for dir in dirs {
            set.add_dir(dir)?;
        }
        set.finish()?;
        Ok(set)
    }

    /// Only the packs under `dirs`, without the built-in one.
    pub fn only_dirs(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for dir in dirs {
            set.add_dir(dir)?;
        }
        set.finish()?;
        Ok(set)
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let mut files: Vec<PathBuf> = Vec::new();
        if dir.is_file() {
            files.push(dir.to_path_buf());
        } else {
            let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Read {
                file: dir.display().to_string(),
                source,
            })?;
            for entry in entries.flatten() {
                let p = entry.path();
                if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml") | Some("yml")
                ) {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            let name = f.display().to_string();
            let text = std::fs::read_to_string(&f).map_err(|source| RuleError::Read {
                file: name.clone(),
                source,
            })?;
            self.add_pack(&name, &text)?;
        }
        Ok(())
    }

    /// Parses one pack file's text and adds its rules.
    pub fn add_pack(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        let pack: PackSyntax =
            serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
                RuleError::File {
                    file: file.to_string(),
                    message: format!("not a rule pack (expected a top-level `rules:` list): {e}"),
                }
            })?;
        self.add_values(file, pack.rules, true)
    }

    /// Adds a built-in pack, converted to JSON at build time (parsing 800 KB of YAML on
    /// every start cost the pre-commit hook ~40 ms).
    fn add_builtin(&mut self, file: &str, json: &str) -> Result<(), RuleError> {
        let pack: PackJson = serde_json::from_str(json).map_err(|e| RuleError::File {
            file: file.to_string(),
            message: format!("not a rule pack: {e}"),
        })?;
        self.add_values(file, pack.rules, false)
    }

    fn add_values(
        &mut self,
        file: &str,
        values: Vec<serde_json::Value>,
        eager: bool,
    ) -> Result<(), RuleError> {
        for (i, value) in values.into_iter().enumerate() {
            let id = value
                .get("id")
                .and_then(|v| v.as_str())
                .map_or_else(|| format!("#{}", i + 1), str::to_string);
            let syn: RuleSyntax = serde_json::from_value(value).map_err(|e| {
                let message = e.to_string();
                RuleError::Rule {
                    file: file.to_string(),
                    id: id.clone(),
                    field: field_of(&message),
                    message,
                }
            })?;
            self.rules.push(Rule::from_syntax(syn, file, eager)?);
        }
        Ok(())
    }

    pub(super) fn finish(&mut self) -> Result<(), RuleError> {
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in self.rules.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(RuleError::Rule {
                    file: pair[1].source.clone(),
                    id: pair[1].id.clone(),
                    field: "id".into(),
                    message: format!("duplicate id, also defined in {}", pair[0].source),
                });
            }
        }
        Ok(())
    }

    /// The rules, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every distinct keyword, sorted.
    pub fn keywords(&self) -> BTreeSet<&str> {
        self.rules
            .iter()
            .flat_map(|r| r.keywords.iter().map(String::as_str))
            .collect()
    }

    /// A digest of the compiled rules, so an inventory says which rules made it.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for r in &self.rules {
            h.update(r.id.as_bytes());
            h.update([0]);
            h.update(r.source.as_bytes());
            h.update([0]);
            h.update(
                format!(
                    "{:?}",
                    (&r.keywords, &r.files, r.regex.as_ref().map(|x| x.as_str()))
                )
                .as_bytes(),
            );
            h.update(
                format!(
                    "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
                    r.env,
                    r.images,
                    r.resources,
                    r.keys,
                    r.imports,
                    r.packages,
                    r.calls,
                    r.endpoints,
                    r.models.as_ref().map(|m| m.as_str()),
                    r.entropy,
                    r.generic
                )
                .as_bytes(),
            );
        }
        crate::model::hex(&h.finalize()[..8])
    }
}

/// Pulls the field name out of a serde message such as "unknown field `foo`, expected …".
fn field_of(message: &str) -> String {
    for marker in ["unknown field `", "missing field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    "-".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
rules:
  - id: provider.demo
    name: Demo
    kind: provider
    identifies: demo
    keywords: [demo]
    match:
      imports:
        python: [demo]
    description: d
    references: [https://example.com]
    examples:
      - path: a.py
        text: import demo
    negative_examples:
      - path: a.py
        text: "# demo"
"##;

    #[test]
    fn builtin_pack_loads() {
        let set = RuleSet::builtin().expect("built-in rules must load");
        assert!(!set.is_empty());
    }

    #[test]
    fn unknown_field_names_file_rule_and_field() {
        let bad = GOOD.replace("    description: d", "    descripton: d");
        let mut set = RuleSet::default();
        let e = set.add_pack("pack.yaml", &bad).unwrap_err().to_string();
        assert!(
            e.starts_with("pack.yaml: rule `provider.demo`: descripton:"),
            "{e}"
        );
    }

    #[test]
    fn unknown_field_in_match_is_reported() {
        let bad = GOOD.replace("      imports:", "      importz:");
        let mut set = RuleSet::default();
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("rule `provider.demo`: importz"), "{e}");
    }

    #[test]
    fn invalid_yaml_names_the_file() {
        let mut set = RuleSet::default();
        let e = set
            .add_pack("p.yaml", "rules: [ {")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.yaml: not a rule pack"), "{e}");
    }

    #[test]
    fn bad_regex_and_bad_id_are_rejected() {
        let mut set = RuleSet::default();
        let bad = GOOD.replace(
            "        python: [demo]",
            "        python: [demo]\n      regex: '(unclosed'",
        );
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("match.regex"), "{e}");
        let bad = GOOD.replace("provider.demo", "Provider.Demo");
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains(": id:"), "{e}");
    }

    #[test]
    fn secret_rule_needs_a_secret_capture() {
        let bad = GOOD
            .replace("kind: provider", "kind: secret")
            .replace("provider.demo", "secret.demo")
            .replace(
                "      imports:\n        python: [demo]",
                "      regex: 'demo[0-9]+'",
            );
        let mut set = RuleSet::default();
        let e = set.add_pack("p.yaml", &bad).unwrap_err().to_string();
        assert!(e.contains("named capture"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let mut set = RuleSet::default();
        set.add_pack("a.yaml", GOOD).unwrap();
        set.add_pack("b.yaml", GOOD).unwrap();
        let e = set.finish().unwrap_err().to_string();
        assert!(e.contains("duplicate id"), "{e}");
    }

    /// Issue 12: every governance rule names its kind of control, from its kind's list;
    /// no other rule names one.
    #[test]
    fn issue_12_governance_rules_name_their_category() {
        let monitoring = GOOD
            .replace("provider.demo", "monitoring.demo")
            .replace("kind: provider", "kind: monitoring");
        let e = RuleSet::default()
            .add_pack("p.yaml", &monitoring)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("monitoring.demo`: category: a monitoring rule"),
            "{e}"
        );
        let named = monitoring.replace(
            "    identifies: demo\n",
            "    identifies: demo\n    category: llm-tracing\n",
        );
        let mut set = RuleSet::default();
        set.add_pack("p.yaml", &named).unwrap();
        assert_eq!(set.rules()[0].category.as_deref(), Some("llm-tracing"));
        let wrong = named.replace("category: llm-tracing", "category: loop-limit");
        let e = RuleSet::default()
            .add_pack("p.yaml", &wrong)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`loop-limit` is not one of llm-tracing"), "{e}");
        let provider = GOOD.replace(
            "    identifies: demo\n",
            "    identifies: demo\n    category: guardrail\n",
        );
        let e = RuleSet::default()
            .add_pack("p.yaml", &provider)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("category: only monitoring, eval and guardrail"),
            "{e}"
        );
    }
}
