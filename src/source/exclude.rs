//! `--exclude GLOB` and `[scan] exclude`: paths the operator leaves out of a scan.
//!
//! Patterns have `.gitignore` syntax (a pattern without a `/` matches a name at any
//! depth, a leading `/` anchors it, a trailing `/` matches directories only, `**`
//! crosses directories, `!` re-includes), because that is the syntax every user of
//! a repository already writes. A path is excluded when a pattern matches it relative
//! to its repository's root or relative to the scanned path (so `vendor/` works in
//! every repository of an organisation folder, and `team-a/legacy/` picks one), or
//! when it lies under an excluded directory. Only the operator sets them: a scanned
//! repository's own config applies only with `--trust-repo-config`.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// A pattern that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("exclude pattern `{pattern}` (--exclude or [scan] exclude): {message}")]
pub struct BadPattern {
    /// The pattern as given.
    pub pattern: String,
    /// Why it is not one.
    pub message: String,
}

/// The compiled exclusions of a scan (none by default).
#[derive(Clone, Debug)]
pub struct Excludes {
    patterns: Vec<String>,
    matcher: Gitignore,
}

impl Default for Excludes {
    fn default() -> Self {
        Excludes {
            patterns: Vec::new(),
            matcher: Gitignore::empty(),
        }
    }
}

impl Excludes {
    /// Compiles `patterns`; the first invalid one is the error.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Excludes, BadPattern> {
        // Paths are matched relative (never absolute), so the builder's root is unused.
        let mut b = GitignoreBuilder::new("");
        for p in patterns {
            let p = p.as_ref();
            let bad = |message: String| BadPattern {
                pattern: p.to_string(),
                message,
            };
            if p.trim().is_empty() {
                return Err(bad("an empty pattern matches nothing".into()));
            }
            b.add_line(None, p).map_err(|e| bad(e.to_string()))?;
        }
        let matcher = b.build().map_err(|e| BadPattern {
            pattern: patterns
                .iter()
                .map(|p| p.as_ref())
                .collect::<Vec<_>>()
                .join(" "),
            message: e.to_string(),
        })?;
        Ok(Excludes {
            patterns: patterns.iter().map(|p| p.as_ref().to_string()).collect(),
            matcher,
        })
    }

    /// No pattern at all: every check is skipped.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The patterns as given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether the file or directory at `in_repo` (relative to its repository) or
    /// `in_scan` (relative to the scanned path; the same for a repository scanned as
    /// a root) is left out, itself or through one of its directories.
    pub fn excludes(&self, in_repo: &str, in_scan: &str, is_dir: bool) -> bool {
        if self.is_empty() {
            return false;
        }
        let hit = |p: &str| {
            !p.is_empty()
                && self
                    .matcher
                    .matched_path_or_any_parents(p, is_dir)
                    .is_ignore()
        };
        hit(in_repo) || (in_scan != in_repo && hit(in_scan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(patterns: &[&str]) -> Excludes {
        Excludes::new(patterns).unwrap()
    }

    #[test]
    fn a_bare_name_matches_at_any_depth_and_below_a_directory() {
        let e = ex(&["vendor/"]);
        assert!(e.excludes("vendor", "vendor", true));
        assert!(e.excludes("a/vendor/b/c.py", "a/vendor/b/c.py", false));
        assert!(!e.excludes("vendorised.py", "vendorised.py", false));
        // A trailing slash names directories only.
        assert!(!e.excludes("vendor", "vendor", false));
    }

    #[test]
    fn anchored_patterns_match_from_the_repository_or_the_scanned_path() {
        let e = ex(&["/docs/generated/**", "team-a/legacy/"]);
        assert!(e.excludes("docs/generated/x.md", "org/r1/docs/generated/x.md", false));
        assert!(!e.excludes("src/docs/generated/x.md", "src/docs/generated/x.md", false));
        // Relative to the scanned organisation folder: one repository's folder.
        assert!(e.excludes("legacy/app.py", "team-a/legacy/app.py", false));
        assert!(!e.excludes("legacy/app.py", "team-b/legacy/app.py", false));
    }

    #[test]
    fn negation_re_includes_and_globs_cross_directories() {
        let e = ex(&["*.ipynb", "!keep.ipynb", "tests/**/fixtures"]);
        assert!(e.excludes("nb/a.ipynb", "nb/a.ipynb", false));
        assert!(!e.excludes("nb/keep.ipynb", "nb/keep.ipynb", false));
        assert!(e.excludes(
            "tests/x/y/fixtures/k.env",
            "tests/x/y/fixtures/k.env",
            false
        ));
    }

    #[test]
    fn nothing_is_excluded_by_default_and_a_bad_pattern_is_named() {
        let none = Excludes::default();
        assert!(!none.excludes("a.py", "a.py", false));
        let err = Excludes::new(&["a{b"]).unwrap_err();
        assert_eq!(err.pattern, "a{b");
        assert!(Excludes::new(&[" "]).is_err());
    }
}
