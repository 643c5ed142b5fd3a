//! `aiscout merge A.json B.json … -o org.json`: combines the inventories of shards
//! (`scan --shard I/N`) or of separate scans into one, as if one scan had produced it.
//! Inventories from different scanner versions, rule sets or fingerprint keys are
//! refused: their findings are not comparable.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::{GlobalArgs, Outcome};
use crate::inventory::Inventory;
use crate::report::{self, Format, ReportOptions};

/// `aiscout merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Inventories written by `aiscout scan --format json`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the merged inventory (JSON).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
}

/// Merges inventories; errors on mixed scanner or rule versions or fingerprint keys.
pub fn merge(mut parts: Vec<(PathBuf, Inventory)>) -> anyhow::Result<Inventory> {
    let (first_path, mut out) = parts.remove(0);
    for (path, inv) in parts {
        anyhow::ensure!(
            inv.scanner.fingerprint_key_id == out.scanner.fingerprint_key_id,
            "{}'s secret fingerprints were made with fingerprint key {}, but {}'s with key {}: \
             the same key would show different fingerprints; rescan every shard with one \
             --fingerprint-key-file",
            path.display(),
            inv.scanner.fingerprint_key_id,
            first_path.display(),
            out.scanner.fingerprint_key_id
        );
        anyhow::ensure!(
            inv.scanner == out.scanner,
            "{} was made by aiscout {} with rules {}, but {} by aiscout {} with rules {}: rescan with one version",
            path.display(),
            inv.scanner.version,
            inv.scanner.rules_digest,
            first_path.display(),
            out.scanner.version,
            out.scanner.rules_digest
        );
        for s in inv.sources {
            if !out.sources.contains(&s) {
                out.sources.push(s);
            }
        }
        out.stats.merge(inv.stats);
        out.repositories.extend(inv.repositories);
        out.units.extend(inv.units);
    }
    out.stats.finish();
    out.repositories.sort();
    out.repositories.dedup();
    out.units
        .sort_by(|a, b| (&a.repo, &a.path, a.kind).cmp(&(&b.repo, &b.path, b.kind)));
    out.units.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

/// Runs `aiscout merge`.
pub fn run(args: &MergeArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let parts = args
        .inputs
        .iter()
        .map(|p| super::report::load(p).map(|inv| (p.clone(), inv)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let merged = merge(parts)?;
    let mut buf = Vec::new();
    report::write(Format::Json, &merged, &ReportOptions::default(), &mut buf)?;
    std::fs::write(&args.output, buf)
        .with_context(|| format!("writing {}", args.output.display()))?;
    if !global.quiet {
        eprintln!(
            "aiscout: merged {} inventories: {} repositories, {} units → {}",
            args.inputs.len(),
            merged.repositories.len(),
            merged.units.len(),
            args.output.display()
        );
    }
    Ok(if merged.stats.faults.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Faults
    })
}
