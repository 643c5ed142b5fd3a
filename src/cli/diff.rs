//! `aiscout diff OLD.json NEW.json`: what changed between two saved inventories —
//! new and removed agents, status changes, new secrets, new providers and models.
//! Exit 0, or 1 when a `--fail-on` policy finds something. Inventories whose secret
//! fingerprints were made with different keys are refused: every secret would look new.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::{GlobalArgs, Outcome};
use crate::inventory::diff::{Diff, DiffPolicy};
use crate::report::diff::{self, DiffFormat};

/// `aiscout diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier inventory (`aiscout scan --format json`).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later inventory.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the diff to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when the diff shows any of these (comma-separated).
    #[arg(long, value_delimiter = ',', value_enum, value_name = "CHANGE")]
    pub fail_on: Vec<DiffPolicy>,
}

/// Runs `aiscout diff`.
pub fn run(args: &DiffArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let old = super::report::load(&args.old)?;
    let new = super::report::load(&args.new)?;
    let (old_key, new_key) = (
        &old.scanner.fingerprint_key_id,
        &new.scanner.fingerprint_key_id,
    );
    anyhow::ensure!(
        old_key == new_key,
        "{} was made with fingerprint key {old_key}, {} with key {new_key}: the same secret \
         has different fingerprints under them, so every secret would look new; rescan one \
         with the other's key (--fingerprint-key-file)",
        args.old.display(),
        args.new.display()
    );
    let d = Diff::between(&old, &new);
    match &args.output {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = BufWriter::new(f);
            diff::write(&d, args.format, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            diff::write(&d, args.format, &mut w)
                .and_then(|_| w.flush())
                .context("writing the diff")?;
        }
    }
    let failed = d.violations(&args.fail_on);
    if !global.quiet {
        for v in &failed {
            super::say(&format!("aiscout: policy failed: {v}"));
        }
    }
    Ok(if failed.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Failed
    })
}
