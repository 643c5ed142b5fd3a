//! `aiscout.toml`: a repository's (or organisation's) defaults. Read from the root of
//! the repository being scanned; unknown keys are an error naming the file.
//!
//! ```toml
//! [hook]
//! fail_on = ["secret"]               # what blocks a commit (default: secret)
//! baseline = ".aiscout-baseline.json" # accepted findings (optional)
//!
//! [scan]
//! fail_on = ["secret", "shadow"]     # `aiscout scan`'s policy when --fail-on is not given
//! ```

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use super::scan::Policy;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The pre-commit hook.
    #[serde(default)]
    pub hook: HookConfig,
    /// `aiscout scan`.
    #[serde(default)]
    pub scan: ScanConfig,
    /// `[status]`: what governed and shadow mean (docs/governance.md).
    #[serde(default)]
    pub status: crate::inventory::StatusRule,
}

/// `[scan]`: organisation defaults for `aiscout scan`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Policies that make a scan exit 1 when `--fail-on` is not given (default: none).
    #[serde(default)]
    pub fail_on: Vec<Policy>,
}

/// `[hook]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookConfig {
    /// Policies that block a commit.
    #[serde(default = "default_fail_on")]
    pub fail_on: Vec<Policy>,
    /// A baseline file (relative to the repository root) of accepted findings.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
}

impl Default for HookConfig {
    fn default() -> Self {
        HookConfig {
            fail_on: default_fail_on(),
            baseline: None,
        }
    }
}

fn default_fail_on() -> Vec<Policy> {
    vec![Policy::Secret]
}

/// The config file of the repository at `root`, if any: `aiscout.toml`, else
/// `.aiscout.toml`.
pub fn path_in(root: &Path) -> Option<PathBuf> {
    ["aiscout.toml", ".aiscout.toml"]
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file())
}

/// Loads the config of the repository at `root` (defaults when there is none).
pub fn load(root: &Path) -> anyhow::Result<Config> {
    match path_in(root) {
        None => Ok(Config::default()),
        Some(p) => {
            let text =
                std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            toml::from_str(&text)
                .with_context(|| format!("{}: invalid aiscout config", p.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_policy_reads_from_the_file() {
        let c: Config =
            toml::from_str("[scan]\nfail_on = [\"secret\", \"no-evals\", \"new-agent\"]\n")
                .unwrap();
        assert_eq!(
            c.scan.fail_on,
            [Policy::Secret, Policy::NoEvals, Policy::NewAgent]
        );
        assert_eq!(c.hook.fail_on, [Policy::Secret]);
        assert!(toml::from_str::<Config>("[scan]\nfail_on = [\"bogus\"]\n").is_err());
        assert!(toml::from_str::<Config>("[scan]\nunknown = 1\n").is_err());
    }
}
