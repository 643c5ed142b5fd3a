//! `aiscout report INVENTORY.json`: renders a saved inventory in any format without
//! rescanning. JSON is the only format read back; an inventory of another
//! `schema_version` is refused with what to do.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::{GlobalArgs, Outcome};
use crate::inventory::policy::Policy;
use crate::inventory::Inventory;
use crate::report::{self, Format, ReportOptions};

/// `aiscout report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A saved inventory (`aiscout scan --format json -o FILE`).
    #[arg(value_name = "INVENTORY.json")]
    pub inventory: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when the inventory holds any of these (comma-separated); SARIF marks
    /// them as errors.
    #[arg(long, value_delimiter = ',', value_enum, value_name = "POLICY")]
    pub fail_on: Vec<Policy>,
    /// A previous inventory (`--format json`): the Markdown and HTML reports show the
    /// change in coverage per control and the agents added and removed since.
    #[arg(long, value_name = "PREVIOUS.json")]
    pub previous: Option<PathBuf>,
    /// Print the table with every column and every value in full, however wide the
    /// terminal is [default: fit it to $COLUMNS, else the terminal; in full to a pipe].
    #[arg(long)]
    pub wide: bool,
}

/// Reads an inventory written by `--format json`, checking its `schema_version`.
pub fn load(path: &Path) -> anyhow::Result<Inventory> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading inventory {}", path.display()))?;
    crate::inventory::saved::from_json(&text).with_context(|| path.display().to_string())
}

/// Writes `inv` as `format` to `output` (stdout when `None`).
pub fn write_to(
    format: Format,
    inv: &Inventory,
    opts: &ReportOptions,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut w = BufWriter::new(f);
            report::write(format, inv, opts, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            report::write(format, inv, opts, &mut w)
                .and_then(|_| w.flush())
                .context("writing the report")?;
        }
    }
    Ok(())
}

/// Runs `aiscout report`.
pub fn run(args: &ReportArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    anyhow::ensure!(
        !args.fail_on.contains(&Policy::NewAgent),
        "new-agent compares two inventories: use `aiscout diff OLD.json NEW.json --fail-on new-agent`"
    );
    let inv = load(&args.inventory)?;
    let opts = ReportOptions {
        color: args.output.is_none() && global.color.enabled(super::stdout_is_terminal()),
        verbose: global.verbose > 0,
        fail_on: args.fail_on.clone(),
        previous: args.previous.as_deref().map(load).transpose()?,
        width: super::table_width(args.wide, args.output.is_some()),
    };
    write_to(args.format, &inv, &opts, args.output.as_deref())?;
    let failed = crate::inventory::policy::violations(&inv, &args.fail_on, None);
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
