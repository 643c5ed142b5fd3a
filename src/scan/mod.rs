//! The prefilter: one Aho-Corasick pass over a blob selects the rules worth running.
//!
//! Every keyword of every rule is compiled into one automaton; a blob that contains
//! none of a rule's keywords never reaches that rule's detector. Rules that match by
//! file name are selected by one glob set over the path. This is where speed lives:
//! most blobs stop here, so this module does no allocation per blob.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::rules::RuleSet;
use crate::source::SkipReason;

/// The compiled prefilter for one [`RuleSet`].
#[derive(Debug)]
pub struct Prefilter {
    ac: Option<AhoCorasick>,
    /// Pattern id → rules that declared that keyword.
    keyword_rules: Vec<Vec<u32>>,
    globs: GlobSet,
    /// Glob index → rule.
    glob_rules: Vec<u32>,
    /// Rule → it declares keywords (then a glob only scopes it, never selects it).
    has_keywords: Vec<bool>,
    rule_count: usize,
}

/// Per-thread scratch space for [`Prefilter::select`].
#[derive(Debug, Default)]
pub struct Selection {
    seen: Vec<bool>,
    /// Rules selected by keyword or name, in no particular order.
    pub rules: Vec<u32>,
    /// Rules selected by file name (a subset of `rules`).
    pub by_name: Vec<u32>,
    glob_hits: Vec<usize>,
}

impl Selection {
    /// Was rule `i` selected?
    pub fn contains(&self, i: u32) -> bool {
        self.seen.get(i as usize).copied().unwrap_or(false)
    }
}

impl Prefilter {
    /// Compiles the keywords and file globs of `rules`.
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut keywords: Vec<&str> = Vec::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        let mut globs = GlobSetBuilder::new();
        let mut glob_rules = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            for kw in &rule.keywords {
                let id = *ids.entry(kw.as_str()).or_insert_with(|| {
                    keywords.push(kw.as_str());
                    keyword_rules.push(Vec::new());
                    keywords.len() - 1
                });
                if !keyword_rules[id].contains(&(i as u32)) {
                    keyword_rules[id].push(i as u32);
                }
            }
            for g in &rule.files {
                // Validated when the rule was compiled.
                if let Ok(glob) = Glob::new(g) {
                    globs.add(glob);
                    glob_rules.push(i as u32);
                }
            }
        }
        let ac = if keywords.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    // A DFA costs memory once and is the fastest per byte; the keyword
                    // set is a few thousand bytes, so its size stays small.
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&keywords)
                    .expect("keywords are plain literals and few enough for a DFA"),
            )
        };
        Prefilter {
            has_keywords: rules
                .rules()
                .iter()
                .map(|r| !r.keywords.is_empty())
                .collect(),
            ac,
            keyword_rules,
            globs: globs.build().unwrap_or_else(|_| GlobSet::empty()),
            glob_rules,
            rule_count: rules.len(),
        }
    }

    /// Selects the rules worth running on the blob at `path` with contents `bytes`.
    /// Returns true when any rule was selected.
    pub fn select(&self, path: &str, bytes: &[u8], sel: &mut Selection) -> bool {
        for &r in &sel.rules {
            sel.seen[r as usize] = false;
        }
        sel.seen.resize(self.rule_count, false);
        sel.rules.clear();
        sel.by_name.clear();
        if let Some(ac) = &self.ac {
            // Overlapping search: `openai` inside `langchain_openai` must select both
            // rules. Stops early once every rule is selected.
            for m in ac.find_overlapping_iter(bytes) {
                for &r in &self.keyword_rules[m.pattern().as_usize()] {
                    if !sel.seen[r as usize] {
                        sel.seen[r as usize] = true;
                        sel.rules.push(r);
                    }
                }
                if sel.rules.len() == self.rule_count {
                    break;
                }
            }
        }
        if !self.glob_rules.is_empty() {
            self.globs.matches_into(path, &mut sel.glob_hits);
            for &g in &sel.glob_hits {
                let r = self.glob_rules[g];
                if !sel.by_name.contains(&r) {
                    sel.by_name.push(r);
                }
                // A rule with keywords needs one in the text; its globs only scope
                // it. Without this, `files: ["**/*.py"]` would select every Python
                // file of a tree for parsing.
                if !self.has_keywords[r as usize] && !sel.seen[r as usize] {
                    sel.seen[r as usize] = true;
                    sel.rules.push(r);
                }
            }
        }
        !sel.rules.is_empty()
    }
}

/// What a scan did, deterministic for the same input (no timings here).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStats {
    /// Regular files, symlinks and special files met by the walk.
    pub files_seen: u64,
    /// Files read and prefiltered.
    pub files_scanned: u64,
    /// Bytes read and prefiltered.
    pub bytes_scanned: u64,
    /// Files in which the prefilter selected at least one rule.
    pub prefilter_hits: u64,
    /// Files parsed with tree-sitter.
    pub files_parsed: u64,
    /// Findings dropped by an inline `aiscout:allow` comment.
    #[serde(default)]
    pub suppressed: u64,
    /// Files not (fully) scanned, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Skips worth a look (malformed manifests, parse caps), with path and message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_details: Vec<SkipDetail>,
    /// Errors with their paths; any fault makes the exit code 2.
    pub faults: Vec<Fault>,
}

/// A skip worth listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SkipDetail {
    /// Path as shown to the user.
    pub path: String,
    /// Why.
    pub reason: SkipReason,
    /// Parser message, never file contents.
    pub message: String,
}

/// An error while scanning.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fault {
    /// Path as shown to the user.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// At most this many skip details are kept; the counts stay exact.
pub const MAX_SKIP_DETAILS: usize = 1000;

impl ScanStats {
    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: ScanStats) {
        self.files_seen += other.files_seen;
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.prefilter_hits += other.prefilter_hits;
        self.files_parsed += other.files_parsed;
        self.suppressed += other.suppressed;
        for (k, v) in other.skipped {
            *self.skipped.entry(k).or_default() += v;
        }
        self.skip_details.extend(other.skip_details);
        self.faults.extend(other.faults);
    }

    /// Sorts lists and caps details so output is deterministic and bounded.
    pub fn finish(&mut self) {
        self.skip_details.sort();
        self.skip_details.truncate(MAX_SKIP_DETAILS);
        self.faults.sort();
        self.faults.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r##"
rules:
  - id: provider.scoped
    name: Scoped
    kind: provider
    identifies: scoped
    keywords: [bedrock]
    match:
      files: ["**/*.py"]
      regex: 'bedrock'
    description: d
    references: [https://example.com]
    examples: [{path: a.py, text: bedrock}]
    negative_examples: [{path: a.py, text: x}]
  - id: owner.named
    name: Named
    kind: owner
    identifies: codeowners
    match:
      files: [CODEOWNERS]
    description: d
    references: [https://example.com]
    examples: [{path: CODEOWNERS, text: x}]
    negative_examples: [{path: a.py, text: x}]
"##;

    /// A glob scopes a rule with keywords; only a rule without keywords is selected by
    /// its file name alone (issue #7 benchmark: every `.py` file was being parsed).
    #[test]
    fn globs_scope_keyword_rules_and_select_name_rules() {
        let mut set = RuleSet::default();
        set.add_pack("t.yaml", PACK).unwrap();
        let p = Prefilter::new(&set);
        let mut sel = Selection::default();
        assert!(
            !p.select("app.py", b"print(1)", &mut sel),
            "no keyword, no selection"
        );
        assert!(p.select("app.py", b"import bedrock", &mut sel));
        assert!(!p.select("notes.md", b"bedrock", &mut sel) || sel.by_name.is_empty());
        assert!(p.select("CODEOWNERS", b"* @a", &mut sel));
        assert_eq!(sel.by_name.len(), 1);
    }
}
