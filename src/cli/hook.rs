//! `aiscout hook install` and `aiscout hook run`: the git pre-commit hook.
//!
//! The hook scans exactly what the commit would contain (`scan --staged`), blocks it
//! (exit 1) on what `aiscout.toml` `[hook] fail_on` names (default: secrets), and fails
//! closed: an internal error exits 2, which also stops the commit.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};

use super::scan::{violations, Policy};
use super::{config, GlobalArgs, Outcome};
use crate::engine::{ReadFrom, ScanConfig};
use crate::model::{shown, Kind, LogSafe};

/// Marks a hook file as ours, so `install` may replace it.
const MARKER: &str = "# aiscout pre-commit hook";

/// `aiscout hook …`.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write `.git/hooks/pre-commit` (or into `core.hooksPath`) to run `aiscout hook run`.
    Install(InstallArgs),
    /// What the hook runs: scan the staged change and block on policy violations.
    Run(RunArgs),
}

/// `hook install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The repository.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Replace an existing pre-commit hook that aiscout did not write (it is kept as
    /// `pre-commit.aiscout-backup`).
    #[arg(long)]
    pub force: bool,
}

/// `hook run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The repository.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
}

/// Runs a `hook` subcommand.
pub fn run(cmd: &HookCommand, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    match cmd {
        HookCommand::Install(a) => install(a, global),
        HookCommand::Run(a) => run_hook(&a.repo, global),
    }
}

fn hooks_dir(repo: &Path) -> anyhow::Result<PathBuf> {
    let r = crate::source::git::open(repo)?;
    if let Ok(cfg) = r.config() {
        if let Ok(p) = cfg.get_path("core.hooksPath") {
            let base = r.workdir().unwrap_or_else(|| r.path());
            return Ok(base.join(p));
        }
    }
    Ok(r.path().join("hooks"))
}

fn install(a: &InstallArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let dir = hooks_dir(&a.repo).context("installing the hook")?;
    let hook = dir.join("pre-commit");
    if let Ok(existing) = std::fs::read_to_string(&hook) {
        if !existing.contains(MARKER) {
            if !a.force {
                anyhow::bail!(
                    "{} exists and was not written by aiscout; keep it and call `aiscout hook run` from it, or pass --force to replace it (it is kept as pre-commit.aiscout-backup)",
                    hook.display()
                );
            }
            std::fs::copy(&hook, dir.join("pre-commit.aiscout-backup"))
                .with_context(|| format!("backing up {}", hook.display()))?;
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    // The binary that installed the hook runs it, so a hook works without PATH changes;
    // `aiscout` on PATH is the fallback when that binary moves.
    let exe = std::env::current_exe()
        .ok()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "aiscout".into());
    let script = format!(
        "#!/bin/sh\n{MARKER} (installed by `aiscout hook install`; remove this file to uninstall)\nAISCOUT='{}'\n[ -x \"$AISCOUT\" ] || AISCOUT=aiscout\nexec \"$AISCOUT\" hook run\n",
        exe.replace('\'', "'\\''")
    );
    std::fs::write(&hook, script).with_context(|| format!("writing {}", hook.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", hook.display()))?;
    }
    if !global.quiet {
        writeln!(
            std::io::stdout(),
            "aiscout: installed {} (runs `aiscout hook run` before each commit)",
            hook.display()
        )?;
    }
    Ok(Outcome::Clean)
}

fn run_hook(repo: &Path, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    // The hook runs in the developer's own repository: its config is the team's.
    let loaded = config::Loaded {
        path: config::path_in(repo).unwrap_or_else(|| repo.join("aiscout.toml")),
        config: config::load(repo)?,
    };
    let roots = [repo.to_path_buf()];
    let key = config::fingerprint_key(None, std::slice::from_ref(&loaded))?;
    let registry = config::registry_file(None, std::slice::from_ref(&loaded))?;
    let cfg = loaded.config;
    let baseline = match &cfg.hook.baseline {
        Some(b) => Some(config::load_tree_baseline(repo, b, &key)?),
        None => None,
    };
    let mut scan = ScanConfig::new(roots.to_vec());
    scan.read = ReadFrom::Staged;
    scan.fingerprint_key = key;
    scan.baseline = baseline;
    scan.status = cfg.status.clone().unwrap_or_default();
    let fail_on = cfg.hook.fail_on.clone();
    // Only a hook asked to block unregistered agents reads the registry.
    if fail_on.contains(&Policy::Unregistered) {
        match registry {
            Some((file, _)) => scan.registry = Some(config::load_registry(&file)?),
            None => anyhow::bail!(
                "[hook] fail_on has unregistered, but no [scan] registry names the registry"
            ),
        }
    }
    let inv = crate::engine::scan(&scan)?;
    let failed = violations(&inv, &fail_on);
    let faults = &inv.stats.faults;
    // Every line names what the staged change chose (paths, messages): through
    // `LogSafe`, with each field `shown`, since hook output lands in terminals and CI.
    let mut w = LogSafe::new(std::io::stderr().lock(), false);
    for f in faults {
        writeln!(
            w,
            "aiscout: fault: {}: {}",
            shown(&f.path),
            shown(&f.message)
        )?;
    }
    if !faults.is_empty() {
        writeln!(
            w,
            "aiscout: commit blocked: the staged change could not be fully scanned (see above)"
        )?;
    }
    if failed.is_empty() {
        w.finish()?;
        return Ok(if faults.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Faults
        });
    }
    // A fault (exit 2) never hides what the policy found in what could be read.
    let secrets: Vec<_> = inv
        .all_units()
        .flat_map(|u| &u.evidence)
        .filter(|e| e.kind == Kind::Secret && !e.baselined)
        .collect();
    writeln!(
        w,
        "aiscout: commit blocked: {} finding(s) in the staged change",
        failed.len()
    )?;
    for e in &secrets {
        let (key, fp) = e
            .secret
            .as_ref()
            .map_or(("?", "?"), |s| (s.shown.as_str(), &s.fingerprint[..12]));
        writeln!(
            w,
            "  {}:{}  {} key {}  (fingerprint {fp}){}",
            shown(&e.path),
            e.line,
            shown(&e.identifies),
            shown(key),
            if e.in_test { "  [test]" } else { "" }
        )?;
    }
    if fail_on.contains(&Policy::Secret) && !secrets.is_empty() {
        writeln!(
            w,
            "Remove the key from the change (read it from the environment or a secret store) and rotate it at the provider.\n\
             Not a real key? Add `aiscout:allow <reason>` on that line, or accept it in a baseline:\n\
             \x20 aiscout baseline create . -o .aiscout-baseline.json  and set `[hook] baseline` in aiscout.toml."
        )?;
    }
    // Keys are listed above; any other policy's line (an unregistered agent, an
    // unbounded exec tool) is the only word on what blocked the commit and its fix.
    for v in &failed {
        if global.verbose > 0 || !v.starts_with("secret:") {
            writeln!(w, "  {}", shown(v))?;
        }
    }
    w.finish()?;
    Ok(if faults.is_empty() {
        Outcome::Failed
    } else {
        Outcome::Faults
    })
}
