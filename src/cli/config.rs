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
//! fingerprint_key_file = "/etc/aiscout/key"  # keys secret fingerprints (relative: to this file)
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::inventory::baseline::Baseline;
use crate::inventory::policy::Policy;
use crate::model::FingerprintKey;

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
    /// The fingerprint key file when neither `--fingerprint-key-file` nor the
    /// environment names one; relative to the directory of this file.
    #[serde(default)]
    pub fingerprint_key_file: Option<PathBuf>,
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

/// Names the variable that holds a fingerprint key file's path.
pub const KEY_FILE_ENV: &str = "AISCOUT_FINGERPRINT_KEY_FILE";
/// Names the variable that holds a fingerprint key itself.
pub const KEY_ENV: &str = "AISCOUT_FINGERPRINT_KEY";

/// A key file larger than this is not a key (and is not read further).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// The fingerprint key of a scan of `roots`; the first found wins: `flag`
/// (`--fingerprint-key-file`), `$AISCOUT_FINGERPRINT_KEY_FILE`,
/// `$AISCOUT_FINGERPRINT_KEY` (the key itself), `[scan] fingerprint_key_file` in the
/// roots' aiscout.toml, else the built-in public key. A key that is named but empty,
/// unreadable or too short is an error, never a silent fallback: an unset CI secret
/// expands to an empty variable, and a report made with the public key instead would
/// leave the team unprotected. No error or message ever contains the key.
pub fn fingerprint_key(flag: Option<&Path>, roots: &[PathBuf]) -> anyhow::Result<FingerprintKey> {
    if let Some(file) = flag {
        return read_key_file(file, "--fingerprint-key-file");
    }
    if let Some(file) = std::env::var_os(KEY_FILE_ENV) {
        return read_key_file(Path::new(&file), KEY_FILE_ENV);
    }
    if let Some(key) = std::env::var_os(KEY_ENV) {
        return FingerprintKey::new(key.as_encoded_bytes())
            .with_context(|| format!("${KEY_ENV}: not a usable fingerprint key"));
    }
    let mut named: Option<(PathBuf, PathBuf)> = None;
    for root in roots {
        let Some(toml) = path_in(root) else { continue };
        let Some(file) = load(root)?.scan.fingerprint_key_file else {
            continue;
        };
        let file = toml.parent().unwrap_or(root).join(file);
        match &named {
            Some((first, first_toml)) if *first != file => anyhow::bail!(
                "{} and {} name different fingerprint key files: scan them separately, \
                 or give one key with --fingerprint-key-file",
                first_toml.display(),
                toml.display()
            ),
            Some(_) => {}
            None => named = Some((file, toml)),
        }
    }
    match named {
        Some((file, toml)) => read_key_file(
            &file,
            &format!("[scan] fingerprint_key_file of {}", toml.display()),
        ),
        None => Ok(FingerprintKey::default()),
    }
}

/// Reads a key file named by `how`: a regular file (never a FIFO or device, which
/// could block or never end) of at most 64 KiB.
fn read_key_file(file: &Path, how: &str) -> anyhow::Result<FingerprintKey> {
    use std::io::Read;
    let what = || format!("fingerprint key file {} ({how})", file.display());
    let meta = std::fs::metadata(file).with_context(|| format!("reading the {}", what()))?;
    anyhow::ensure!(meta.is_file(), "the {} is not a regular file", what());
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes))
        .with_context(|| format!("reading the {}", what()))?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_KEY_FILE,
        "the {} is larger than 64 KiB: not a key",
        what()
    );
    FingerprintKey::new(&bytes).with_context(|| format!("the {} is not a usable key", what()))
}

/// Reads the baseline at `path` for a scan under `key`: its accepted fingerprints.
pub fn load_baseline(path: &Path, key: &FingerprintKey) -> anyhow::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading baseline {}", path.display()))?;
    Baseline::accepted(&text, key).with_context(|| path.display().to_string())
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
