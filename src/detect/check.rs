//! `rules test`: runs every example of every rule through the real per-blob path
//! (prefilter, then detectors) and lints the rules. Backs both `aiscout rules test`
//! and a `cargo test`, so an example can never pass in one and fail in the other.

use std::fmt;
use std::time::Duration;

use super::code::lang::parse;
use super::{BlobOutcome, Detector, Scratch};
use crate::source::filekind::FileKind;

/// What went wrong with one example or rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A positive example was not detected by its rule.
    Missing,
    /// A negative example was detected by its rule.
    Noisy,
    /// The rule itself is malformed (e.g. a positive example without any keyword).
    Lint,
}

/// One failed check.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The rule.
    pub rule_id: String,
    /// What kind of failure.
    pub problem: Problem,
    /// 1-based example index (0 for rule-level lints).
    pub index: usize,
    /// The example's path and, for code, the tree-sitter S-expression.
    pub detail: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.problem {
            Problem::Missing => "Missing: positive example",
            Problem::Noisy => "Noisy: negative example",
            Problem::Lint => "Lint:",
        };
        if self.index > 0 {
            write!(
                f,
                "{}: {what} #{} {}",
                self.rule_id, self.index, self.detail
            )
        } else {
            write!(f, "{}: {what} {}", self.rule_id, self.detail)
        }
    }
}

/// Summary of a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Rules checked.
    pub rules: usize,
    /// Examples run.
    pub examples: usize,
    /// Failures, in rule order.
    pub failures: Vec<Failure>,
}

fn sexp(path: &str, text: &str) -> String {
    match FileKind::of(path).lang {
        Some(lang) => match parse(lang, text.as_bytes(), Duration::from_secs(2)) {
            Ok(tree) => format!("\n    tree: {}", tree.root_node().to_sexp()),
            Err(_) => String::new(),
        },
        None => String::new(),
    }
}

/// Checks every rule of `detector`'s rule set.
pub fn check(detector: &Detector) -> Report {
    let mut report = Report::default();
    let mut scratch = Scratch::default();
    let mut out = BlobOutcome::default();
    for rule in detector.rules().rules() {
        report.rules += 1;
        // Built-in regexes compile on first use; here every one is compiled and
        // checked, so a broken pattern fails `cargo test`, not a user's scan.
        let mut lint = |detail: String| {
            report.failures.push(Failure {
                rule_id: rule.id.clone(),
                problem: Problem::Lint,
                index: 0,
                detail,
            })
        };
        if let Some(l) = &rule.regex {
            match l.check() {
                Err(e) => lint(format!("match.regex does not compile: {e}")),
                Ok(re)
                    if rule.kind == crate::model::Kind::Secret
                        && !re.re.capture_names().any(|n| n == Some("secret")) =>
                {
                    lint("a secret rule needs a named capture `(?P<secret>…)`".into())
                }
                Ok(_) => {}
            }
        }
        if let Some(Err(e)) = rule.models.as_ref().map(|l| l.check()) {
            lint(format!("match.models does not compile: {e}"));
        }
        for (i, ex) in rule.examples.iter().enumerate() {
            report.examples += 1;
            // Manifests are selected by name, so their examples need no keyword.
            let by_name = FileKind::of(&ex.path).manifest.is_some();
            if rule.files.is_empty()
                && !by_name
                && !rule.keywords.iter().any(|k| ex.text.contains(k.as_str()))
            {
                report.failures.push(Failure {
                    rule_id: rule.id.clone(),
                    problem: Problem::Lint,
                    index: i + 1,
                    detail: format!("({}) contains none of the rule's keywords", ex.path),
                });
            }
            let kind = FileKind::of(&ex.path);
            detector.detect(&kind, &ex.path, ex.text.as_bytes(), &mut scratch, &mut out);
            if !out.evidence.iter().any(|e| e.rule_id == rule.id) {
                report.failures.push(Failure {
                    rule_id: rule.id.clone(),
                    problem: Problem::Missing,
                    index: i + 1,
                    detail: format!("({}){}", ex.path, sexp(&ex.path, &ex.text)),
                });
            }
        }
        for (i, ex) in rule.negative_examples.iter().enumerate() {
            report.examples += 1;
            let kind = FileKind::of(&ex.path);
            detector.detect(&kind, &ex.path, ex.text.as_bytes(), &mut scratch, &mut out);
            if let Some(e) = out.evidence.iter().find(|e| e.rule_id == rule.id) {
                report.failures.push(Failure {
                    rule_id: rule.id.clone(),
                    problem: Problem::Noisy,
                    index: i + 1,
                    detail: format!(
                        "({}:{}) matched `{}`{}",
                        ex.path,
                        e.line,
                        e.matched,
                        sexp(&ex.path, &ex.text)
                    ),
                });
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::DetectOptions;
    use crate::rules::RuleSet;

    /// Every example of every built-in rule passes through the real per-blob path.
    #[test]
    fn builtin_rules_pass_their_own_examples() {
        let detector = Detector::new(RuleSet::builtin().unwrap(), DetectOptions::default());
        let report = check(&detector);
        let msgs: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
        assert!(
            msgs.is_empty(),
            "{} failure(s):\n{}",
            msgs.len(),
            msgs.join("\n")
        );
        assert!(report.examples >= 2 * report.rules);
    }

    #[test]
    fn a_broken_rule_is_reported_missing_and_noisy() {
        let mut set = RuleSet::default();
        set.add_pack(
            "t.yaml",
            r##"
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
        text: "# demo only in a comment"
      - path: a.py
        text: "import nothing"
    negative_examples:
      - path: b.py
        text: "import demo"
"##,
        )
        .unwrap();
        let report = check(&Detector::new(set, DetectOptions::default()));
        let got: Vec<(Problem, usize)> = report
            .failures
            .iter()
            .map(|f| (f.problem, f.index))
            .collect();
        assert_eq!(
            got,
            vec![
                (Problem::Missing, 1),
                (Problem::Lint, 2),
                (Problem::Missing, 2),
                (Problem::Noisy, 1)
            ]
        );
        assert!(
            report.failures[0].detail.contains("(module (comment))"),
            "{}",
            report.failures[0].detail
        );
    }
}
