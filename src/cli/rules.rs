//! `aiscout rules list` and `aiscout rules test`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use comfy_table::{presets, Table};

use super::{GlobalArgs, Outcome, RulesArgs};
use crate::detect::check;
use crate::detect::{DetectOptions, Detector};
use crate::rules::RuleSet;

/// `aiscout rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show every rule: id, kind, what it identifies, and its name.
    List(ListArgs),
    /// Run every rule's positive and negative examples through the real scan path.
    Test(TestArgs),
}

/// `rules list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Rule packs to add.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Print only the prefilter keywords, one per line (for benchmarks).
    #[arg(long)]
    pub keywords: bool,
}

/// `rules test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// A rule pack directory (or file) to test together with the built-in pack.
    pub dir: Option<PathBuf>,
    /// Test only the packs in DIR, without the built-in pack.
    #[arg(long, requires = "dir")]
    pub only: bool,
}

/// Runs a `rules` subcommand.
pub fn run(cmd: &RulesCommand, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List(args) => {
            let set = RuleSet::with_dirs(&args.rules.rules).context("loading rules")?;
            if args.keywords {
                for k in set.keywords() {
                    writeln!(out, "{k}")?;
                }
                return Ok(Outcome::Clean);
            }
            let mut table = Table::new();
            table.load_preset(presets::NOTHING);
            table.set_header(["ID", "KIND", "IDENTIFIES", "NAME"]);
            for r in set.rules() {
                table.add_row([
                    r.id.as_str(),
                    r.kind.as_str(),
                    r.identifies.as_str(),
                    r.name.as_str(),
                ]);
            }
            writeln!(out, "{table}")?;
            if !global.quiet {
                writeln!(out, "\n{} rules", set.len())?;
            }
            Ok(Outcome::Clean)
        }
        RulesCommand::Test(args) => {
            let dirs: Vec<PathBuf> = args.dir.iter().cloned().collect();
            let set = if args.only {
                RuleSet::only_dirs(&dirs)
            } else {
                RuleSet::with_dirs(&dirs)
            }
            .context("loading rules")?;
            let detector = Detector::new(set, DetectOptions::default());
            let report = check::check(&detector);
            for f in &report.failures {
                writeln!(out, "{f}")?;
            }
            writeln!(
                out,
                "{} rules, {} examples: {} passed, {} failed",
                report.rules,
                report.examples,
                report.examples.saturating_sub(report.failures.len()),
                report.failures.len()
            )?;
            Ok(if report.failures.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Failed
            })
        }
    }
}
