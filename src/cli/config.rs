//! `aiscout.toml`: the operator's (or a trusted repository's) defaults. Whose a file
//! is decides whether it is read at all (`scan::settings`): `--config FILE`, else the
//! one in the current directory, is the operator's; a scanned repository's own applies
//! only with `--trust-repo-config`. Unknown keys are an error naming the file.
//!
//! ```toml
//! [hook]
//! fail_on = ["secret"]               # what blocks a commit (default: secret)
//! baseline = ".aiscout-baseline.json" # accepted findings (optional)
//!
//! [scan]
//! fail_on = ["secret", "shadow"]     # `aiscout scan`'s policy when --fail-on is not given
//! fingerprint_key_file = "/etc/aiscout/key"  # keys secret fingerprints (relative: to this file)
//! exclude = ["vendor/", "/docs/generated/**"] # left out, .gitignore syntax (plus --exclude)
//! registry = "agents.yaml"            # the sanctioned registry (relative: to this file)
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::inventory::baseline::Baseline;
use crate::inventory::policy::Policy;
use crate::model::{shown, FingerprintKey};

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
    pub status: Option<crate::inventory::StatusRule>,
    /// `owner = "…"`: the documented root `.aiscout.toml` declaration of an agent's
    /// owner (docs/governance.md). Read by the owner rule, like `aiscout.yaml`;
    /// accepted here so that a declaration is not a broken config.
    #[serde(default)]
    pub owner: Option<String>,
    /// `name = "…"`: the declaration's name for people, as in `aiscout.yaml`.
    #[serde(default)]
    pub name: Option<String>,
}

/// A configuration in force and the file it came from (relative paths in it, such as
/// `[scan] fingerprint_key_file`, are relative to that file's directory).
#[derive(Debug)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// What it says.
    pub config: Config,
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
    /// Paths left out of every scan, `.gitignore` syntax (`--exclude` adds more).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The sanctioned registry of agents when `--registry` names none; relative to the
    /// directory of this file.
    #[serde(default)]
    pub registry: Option<PathBuf>,
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
/// `.aiscout.toml`. Any entry of that name counts (a symlink or a directory too), so
/// [`load`] refuses it by name rather than silently reading the other one.
pub fn path_in(root: &Path) -> Option<PathBuf> {
    ["aiscout.toml", ".aiscout.toml"]
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.symlink_metadata().is_ok())
}

/// Loads the config of the repository at `root` (defaults when there is none). The
/// file is read as any file of a scanned tree is ([`read_in_tree`]), and a parse error
/// names the file, line, column and kind of error, never the file's content.
pub fn load(root: &Path) -> anyhow::Result<Config> {
    match path_in(root) {
        None => Ok(Config::default()),
        Some(p) => {
            let name = p.file_name().map(PathBuf::from).unwrap_or_default();
            let text = read_in_tree(root, &name, "aiscout config")?;
            parse(&text, &p)
        }
    }
}

/// Loads the operator's config file named by `--config` (any path: the operator
/// chose it). Errors name the file, line and column, never the content.
pub fn load_file(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading --config {}", shown(&path.display().to_string())))?;
    parse(&text, path)
}

fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        anyhow::anyhow!(
            "{}:{line}:{column}: invalid aiscout config: {}",
            shown(&path.display().to_string()),
            error_kind(e.message())
        )
    })
}

/// The largest configuration or declaration file read from a scanned tree: a real one
/// is a few hundred bytes; more is a repository trying to exhaust memory.
pub const MAX_TREE_CONFIG: u64 = 1 << 20;

/// Reads the file at `rel` (relative, no `..`) below `root`, a scanned tree, as a
/// scanned repository's configuration or declaration is read: never through a symlink
/// (at any component of `rel`: a repository can commit `aiscout.toml` as a link to
/// `/proc/self/environ` or a credentials file), only a regular file (a FIFO would
/// block, a device never end), at most [`MAX_TREE_CONFIG`] bytes, and UTF-8. Errors
/// name the file and why, never what it holds.
pub fn read_in_tree(root: &Path, rel: &Path, what: &str) -> anyhow::Result<String> {
    use std::io::Read;
    let path = root.join(rel);
    let name = || shown(&path.display().to_string()).into_owned();
    let mut here = root.to_path_buf();
    for c in rel.components() {
        let std::path::Component::Normal(part) = c else {
            anyhow::bail!(
                "{}: the {what} must be a path inside the repository (relative, no `..`)",
                name()
            );
        };
        here.push(part);
        let meta = here
            .symlink_metadata()
            .with_context(|| format!("reading the {what} {}", name()))?;
        if meta.file_type().is_symlink() {
            anyhow::bail!(
                "{}: the {what} is (or is under) a symbolic link, which aiscout never \
                 follows in a scanned tree; commit the file itself",
                name()
            );
        }
    }
    let meta = path
        .symlink_metadata()
        .with_context(|| format!("reading the {what} {}", name()))?;
    anyhow::ensure!(
        meta.is_file(),
        "{}: the {what} is not a regular file",
        name()
    );
    anyhow::ensure!(
        meta.len() <= MAX_TREE_CONFIG,
        "{}: the {what} is larger than {} KiB: not read",
        name(),
        MAX_TREE_CONFIG >> 10
    );
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_TREE_CONFIG + 1).read_to_end(&mut bytes))
        .with_context(|| format!("reading the {what} {}", name()))?;
    // It may have grown since the stat.
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_TREE_CONFIG,
        "{}: the {what} is larger than {} KiB: not read",
        name(),
        MAX_TREE_CONFIG >> 10
    );
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = {
            let ok = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // Valid by construction: the prefix before the first bad byte.
            line_column(std::str::from_utf8(ok).unwrap_or(""), ok.len())
        };
        anyhow::anyhow!("{}:{line}:{column}: the {what} is not UTF-8 text", name())
    })
}

/// The 1-based line and column (in characters) of byte `at` of `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The kind of a parse error, from its message with every quoted piece of the input
/// left out: TOML and serde messages quote what they read (`unknown field `x``,
/// `invalid type: string "x"`), and what they read may not be the repository's to
/// show. What follows `expected` is the schema's, and kept.
fn error_kind(message: &str) -> String {
    let mut out = String::new();
    for (i, line) in message.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let (input, schema) = match line.find("expected") {
            Some(at) => line.split_at(at),
            None => (line, ""),
        };
        let mut quote = None;
        for c in input.chars() {
            match (quote, c) {
                (None, '`' | '"' | '\'') => {
                    quote = Some(c);
                    out.push('…');
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, c) => out.push(c),
            }
        }
        out.push_str(schema);
    }
    let out = out.trim();
    let out = if out.is_empty() { "syntax error" } else { out };
    shown(out).chars().take(300).collect()
}

/// Names the variable that holds a fingerprint key file's path.
pub const KEY_FILE_ENV: &str = "AISCOUT_FINGERPRINT_KEY_FILE";
/// Names the variable that holds a fingerprint key itself.
pub const KEY_ENV: &str = "AISCOUT_FINGERPRINT_KEY";

/// A key file larger than this is not a key (and is not read further).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// The fingerprint key of a scan under `configs` (the ones in force: the operator's,
/// and trusted repositories'); the first found wins: `flag`
/// (`--fingerprint-key-file`), `$AISCOUT_FINGERPRINT_KEY_FILE`,
/// `$AISCOUT_FINGERPRINT_KEY` (the key itself), `[scan] fingerprint_key_file` in
/// `configs`, else the built-in public key. A key that is named but empty,
/// unreadable or too short is an error, never a silent fallback: an unset CI secret
/// expands to an empty variable, and a report made with the public key instead would
/// leave the team unprotected. No error or message ever contains the key.
pub fn fingerprint_key(flag: Option<&Path>, configs: &[Loaded]) -> anyhow::Result<FingerprintKey> {
    fingerprint_key_from(flag, configs).map(|(key, _)| key)
}

/// [`fingerprint_key`], and where it came from (for `aiscout config show`).
pub fn fingerprint_key_from(
    flag: Option<&Path>,
    configs: &[Loaded],
) -> anyhow::Result<(FingerprintKey, String)> {
    let file_of = |file: &Path, how: &str| {
        read_key_file(file, how).map(|k| (k, format!("{how} ({})", file.display())))
    };
    if let Some(file) = flag {
        return file_of(file, "--fingerprint-key-file");
    }
    if let Some(file) = std::env::var_os(KEY_FILE_ENV) {
        return file_of(Path::new(&file), &format!("${KEY_FILE_ENV}"));
    }
    if let Some(key) = std::env::var_os(KEY_ENV) {
        return FingerprintKey::new(key.as_encoded_bytes())
            .map(|k| (k, format!("${KEY_ENV}")))
            .with_context(|| format!("${KEY_ENV}: not a usable fingerprint key"));
    }
    let mut named: Option<(PathBuf, PathBuf)> = None;
    for Loaded { path: toml, config } in configs {
        let Some(file) = &config.scan.fingerprint_key_file else {
            continue;
        };
        let file = toml.parent().unwrap_or(Path::new(".")).join(file);
        match &named {
            Some((first, first_toml)) if *first != file => anyhow::bail!(
                "{} and {} name different fingerprint key files: scan them separately, \
                 or give one key with --fingerprint-key-file",
                first_toml.display(),
                toml.display()
            ),
            Some(_) => {}
            None => named = Some((file, toml.clone())),
        }
    }
    match named {
        Some((file, toml)) => file_of(
            &file,
            &format!("[scan] fingerprint_key_file of {}", toml.display()),
        ),
        None => Ok((
            FingerprintKey::default(),
            "the built-in public key (fingerprints of a report can confirm a guessed key)"
                .to_string(),
        )),
    }
}

/// The sanctioned registry file of a scan, and where it was named: `flag`
/// (`--registry`), else the `[scan] registry` of `configs` (relative to its file). Two
/// configurations naming different files are an error, as for the fingerprint key.
pub fn registry_file(
    flag: Option<&Path>,
    configs: &[Loaded],
) -> anyhow::Result<Option<(PathBuf, String)>> {
    if let Some(file) = flag {
        return Ok(Some((file.to_path_buf(), "--registry".into())));
    }
    let mut named: Option<(PathBuf, PathBuf)> = None;
    for Loaded { path: toml, config } in configs {
        let Some(file) = &config.scan.registry else {
            continue;
        };
        let file = toml.parent().unwrap_or(Path::new(".")).join(file);
        match &named {
            Some((first, first_toml)) if *first != file => anyhow::bail!(
                "{} and {} name different registries: scan them separately, or give one \
                 with --registry",
                first_toml.display(),
                toml.display()
            ),
            Some(_) => {}
            None => named = Some((file, toml.clone())),
        }
    }
    Ok(named.map(|(file, toml)| (file, format!("[scan] registry of {}", toml.display()))))
}

/// Reads and parses the registry `file` (a regular file of at most 64 MiB).
pub fn load_registry(file: &Path) -> anyhow::Result<crate::inventory::Registry> {
    const MAX_REGISTRY: u64 = 64 << 20;
    let name = shown(&file.display().to_string()).into_owned();
    let meta = std::fs::metadata(file).with_context(|| format!("registry {name}"))?;
    if !meta.is_file() || meta.len() > MAX_REGISTRY {
        anyhow::bail!("registry {name}: not a regular file of at most 64 MiB");
    }
    let text = std::fs::read_to_string(file).with_context(|| format!("registry {name}"))?;
    Ok(crate::inventory::Registry::parse(&name, &text)?)
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

/// Reads the baseline `rel` of the repository at `root` (`[hook] baseline`), as a file
/// of a scanned tree is read ([`read_in_tree`]); errors name the file and the kind of
/// problem, never its content.
pub fn load_tree_baseline(
    root: &Path,
    rel: &Path,
    key: &FingerprintKey,
) -> anyhow::Result<BTreeSet<String>> {
    use crate::inventory::baseline::BaselineError;
    let text = read_in_tree(root, rel, "baseline")?;
    let name = shown(&root.join(rel).display().to_string()).into_owned();
    Baseline::accepted(&text, key).map_err(|e| match e {
        BaselineError::NotBaseline(e) => anyhow::anyhow!(
            "{name}:{}:{}: not an aiscout baseline ({}); create one with `aiscout baseline create`",
            e.line(),
            e.column(),
            error_kind(&e.to_string())
        ),
        BaselineError::Version(v) => {
            anyhow::anyhow!("{name}: baseline version {v} is not supported")
        }
        BaselineError::Key { using, .. } => anyhow::anyhow!(
            "{name}: the baseline was made with another fingerprint key than this scan's \
             ({using}); recreate it with `aiscout baseline create`"
        ),
    })
}

/// Reads the baseline at `path` for a scan under `key`: its accepted fingerprints.
pub fn load_baseline(path: &Path, key: &FingerprintKey) -> anyhow::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading baseline {}", path.display()))?;
    Baseline::accepted(&text, key).with_context(|| path.display().to_string())
}

/// `aiscout config …`.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the settings `aiscout scan` would run under with the same arguments, and
    /// where each came from (flag, environment, which aiscout.toml, default).
    Show(super::scan::ScanArgs),
}

/// Runs `aiscout config`.
pub fn run(cmd: &ConfigCommand) -> anyhow::Result<super::Outcome> {
    let ConfigCommand::Show(args) = cmd;
    let text = show(args)?;
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, text.as_bytes())?;
    Ok(super::Outcome::Clean)
}

/// The effective settings of a scan with `args`, one `name  value  (source)` line each.
pub fn show(args: &super::scan::ScanArgs) -> anyhow::Result<String> {
    use super::scan::{effective_policy, excludes, settings};
    let settings = settings(args)?;
    let cwd = std::env::current_dir().context("the current directory")?;
    let whose = |p: &Path| {
        if args.config.as_deref() == Some(p) {
            "the operator's (--config)"
        } else if p.parent() == Some(cwd.as_path()) || p.parent() == Some(Path::new("")) {
            "the operator's (the directory the scan starts in)"
        } else {
            "a scanned repository's (--trust-repo-config)"
        }
    };
    let mut lines: Vec<(String, String, String)> = Vec::new();
    let mut add = |name: &str, value: String, from: String| {
        lines.push((name.to_string(), value, from));
    };
    if settings.configs.is_empty() {
        add(
            "config",
            "none".into(),
            "no --config, no aiscout.toml here".into(),
        );
    }
    for c in &settings.configs {
        add(
            "config",
            c.path.display().to_string(),
            whose(&c.path).to_string(),
        );
    }
    for f in &settings.faults {
        add("config", f.path.clone(), format!("not used: {}", f.message));
    }
    let trust = if args.trust_repo_config {
        (
            "trusted",
            "--trust-repo-config: their aiscout.toml and aiscout:allow apply",
        )
    } else if args.untrusted {
        ("untrusted", "--untrusted")
    } else if settings.untrusted {
        (
            "untrusted",
            "default for folders of repositories, bare mirrors and --repos-from",
        )
    } else {
        (
            "not trusted to set policy",
            "default: a config inside a scanned path other than where the scan starts is not read; --trust-repo-config reads it",
        )
    };
    add("repositories", trust.0.into(), trust.1.into());
    let policy = effective_policy(args, &settings)?;
    let policy_from = if !args.fail_on.is_empty() {
        "--fail-on".to_string()
    } else {
        let from: Vec<String> = settings
            .configs
            .iter()
            .filter(|c| !c.config.scan.fail_on.is_empty())
            .map(|c| format!("[scan] fail_on of {}", c.path.display()))
            .collect();
        if from.is_empty() {
            "default".into()
        } else {
            from.join(", ")
        }
    };
    let names = |v: &[Policy]| {
        if v.is_empty() {
            "nothing (exit 0 unless a fault)".to_string()
        } else {
            v.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    add("fail_on", names(&policy), policy_from);
    let status = settings
        .configs
        .iter()
        .find_map(|c| c.config.status.as_ref().map(|s| (s.clone(), c)));
    let (rule, rule_from) = match status {
        Some((rule, c)) => (rule, format!("[status] of {}", c.path.display())),
        None => (crate::inventory::StatusRule::default(), "default".into()),
    };
    let controls = |v: &[crate::inventory::Control]| {
        v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    };
    add(
        "status",
        format!(
            "governed = all of [{}]; shadow = none of [{}]; owner hints {}",
            controls(&rule.governed),
            controls(&rule.shadow),
            if rule.owner_hints {
                "count"
            } else {
                "do not count"
            }
        ),
        rule_from,
    );
    let (key, key_from) =
        fingerprint_key_from(args.fingerprint_key_file.as_deref(), &settings.configs)?;
    add("fingerprint_key", format!("id {}", key.id()), key_from);
    match registry_file(args.registry.as_deref(), &settings.configs)? {
        Some((file, from)) => add("registry", file.display().to_string(), from),
        None => add("registry", "none".into(), "default".into()),
    }
    let mut ex: Vec<(String, String)> = Vec::new();
    for c in &settings.configs {
        for p in &c.config.scan.exclude {
            ex.push((p.clone(), format!("[scan] exclude of {}", c.path.display())));
        }
    }
    for p in &args.exclude {
        ex.push((p.clone(), "--exclude".into()));
    }
    // Compiles them as the scan would: a bad pattern is the same error here.
    crate::source::exclude::Excludes::new(&excludes(args, &settings))?;
    if ex.is_empty() {
        add("exclude", "nothing".into(), "default".into());
    }
    for (p, from) in ex {
        add("exclude", p, from);
    }
    add(
        "ignore_files",
        if args.no_ignore {
            "not applied"
        } else {
            "applied to untracked files"
        }
        .into(),
        if args.no_ignore {
            "--no-ignore"
        } else {
            "default"
        }
        .into(),
    );
    add(
        "max_file_size",
        format!("{} bytes", args.max_file_size),
        if args.max_file_size == crate::source::limits::DEFAULT_MAX_FILE_SIZE {
            "default".into()
        } else {
            "--max-file-size".into()
        },
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match args.threads.filter(|&n| n > 0) {
        Some(n) => add("threads", n.to_string(), "-j".into()),
        None => add("threads", cores.to_string(), "default: every core".into()),
    }
    if let Some(p) = path_in(&cwd) {
        if let Ok(c) = load(&cwd) {
            add(
                "hook.fail_on",
                names(&c.hook.fail_on),
                format!("[hook] of {}", p.display()),
            );
            if let Some(b) = &c.hook.baseline {
                add(
                    "hook.baseline",
                    b.display().to_string(),
                    format!("[hook] of {}", p.display()),
                );
            }
        }
    }
    let width = lines.iter().map(|l| l.0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, value, from) in lines {
        out.push_str(&shown(&format!("{name:width$}  {value}  ({from})")));
        out.push('\n');
    }
    Ok(out)
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

    /// Issue 14: the root `.aiscout.toml` declaration docs/governance.md documents
    /// (`owner = "…"`) is a valid config, not an error that stops the scan.
    #[test]
    fn issue_14_an_owner_declaration_is_a_valid_config() {
        let c: Config = toml::from_str("name = \"bot\"\nowner = \"@acme/bots\"\n").unwrap();
        assert_eq!(c.owner.as_deref(), Some("@acme/bots"));
        assert_eq!(c.scan.fail_on, []);
    }

    #[test]
    fn error_kinds_keep_the_schema_and_drop_the_input() {
        assert_eq!(
            error_kind("unknown field `TOKEN=abc`, expected `hook`, `scan`"),
            "unknown field …, expected `hook`, `scan`"
        );
        assert_eq!(
            error_kind("invalid type: string \"s3cr3t\", expected a sequence"),
            "invalid type: string …, expected a sequence"
        );
        assert_eq!(
            error_kind("invalid string\nexpected `\"`, `'`"),
            "invalid string; expected `\"`, `'`"
        );
        assert_eq!(error_kind("bad \x1b[2J"), "bad \\x1b[2J");
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncdé\nx", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé\nx", 3), (2, 1));
        assert_eq!(line_column("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_column("ab\ncdé\nx", 8), (3, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
