//! The command line: argument definitions, one file per subcommand, and the exit-code
//! contract (`0` clean, `1` policy failed, `2` usage or runtime error or a fault
//! while scanning — reported after the output is written). Only `cli/` and `report/`
//! print.

pub mod baseline;
pub mod completions;
pub mod config;
pub mod diff;
pub mod hook;
pub mod merge;
pub mod progress;
pub mod register;
pub mod report;
pub mod rules;
pub mod scan;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// aiscout finds the AI in code and configuration — LLM SDKs, agent frameworks, MCP
/// SDKs — and builds an inventory of agent units.
#[derive(Debug, Parser)]
#[command(name = "aiscout", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print nothing but the report (no summary or warnings on stderr).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail: every piece of evidence and every notable skip (repeatable).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to colour output; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Decides colour for a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan directories (each a repository or a folder of repositories).
    Scan(scan::ScanArgs),
    /// Render a saved inventory (`scan --format json`) in another format, without
    /// rescanning.
    Report(report::ReportArgs),
    /// Compare two saved inventories: new and removed agents, status changes, new
    /// secrets, new providers and models.
    Diff(diff::DiffArgs),
    /// List or test the detection rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Record accepted findings, so only new ones fail a policy.
    #[command(subcommand)]
    Baseline(baseline::BaselineCommand),
    /// Install or run the git pre-commit hook.
    #[command(subcommand)]
    Hook(hook::HookCommand),
    /// Show the effective configuration and where each setting came from.
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Combine inventories (e.g. of `scan --shard I/N` runs) into one.
    Merge(merge::MergeArgs),
    /// Register an agent: write its owner declaration (aiscout.yaml) and add it to the
    /// sanctioned registry.
    Register(register::RegisterArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command with `--dir`.
    Man(completions::ManArgs),
}

/// How a command ended, mapped to the exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Clean,
    /// Exit 1: a `--fail-on` policy or a rule check failed.
    Failed,
    /// Exit 2: the output was written, but a fault occurred while scanning.
    Faults,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Failed => 1,
            Outcome::Faults => 2,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(&args, &cli.global),
        Command::Report(args) => report::run(&args, &cli.global),
        Command::Diff(args) => diff::run(&args, &cli.global),
        Command::Rules(cmd) => rules::run(&cmd, &cli.global),
        Command::Baseline(cmd) => baseline::run(&cmd, &cli.global),
        Command::Hook(cmd) => hook::run(&cmd, &cli.global),
        Command::Merge(args) => merge::run(&args, &cli.global),
        Command::Register(args) => register::run(&args, &cli.global),
        Command::Config(cmd) => config::run(&cmd),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// Writes one message line to stderr as [`crate::model::shown`] shows a field: messages
/// name paths, units and owners a scanned repository chose, and stderr reaches
/// terminals and CI logs.
pub(crate) fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{}", crate::model::shown(line));
}

/// Prints the error a command ended with on stderr, every line of it made safe for a
/// terminal or CI log ([`crate::model::LogSafe`]): errors name files of scanned trees.
pub fn print_error(err: &anyhow::Error) {
    use std::io::Write;
    let mut w = crate::model::LogSafe::new(std::io::stderr().lock(), false);
    let _ = writeln!(w, "aiscout: error: {err:#}");
    let _ = w.finish();
}

/// Whether stdout is a terminal.
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// How many columns the table may use on stdout: none when `wide` or when it goes to a
/// file; else `COLUMNS` when it holds a positive number (so a user or a test can ask
/// for a width), else the terminal's width; a pipe gets the full table.
pub(crate) fn table_width(wide: bool, to_file: bool) -> Option<usize> {
    if wide || to_file {
        return None;
    }
    columns(std::env::var("COLUMNS").ok().as_deref()).or_else(|| {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
    })
}

/// A usable `COLUMNS` value: a positive number of columns.
fn columns(var: Option<&str>) -> Option<usize> {
    var?.trim().parse::<usize>().ok().filter(|&n| n > 0)
}

/// Parses a byte size such as `16M`, `512K`, `1G` or `1000`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("unknown size suffix `{c}` (use K, M or G)")),
            };
            (&s[..i], m)
        }
        _ => (s, 1),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 16M, 512K, 1000)"))?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Rule pack directories given with `--rules`.
#[derive(Debug, Args, Clone, Default)]
pub struct RulesArgs {
    /// Add the rule packs (*.yaml) in DIR to the built-in ones (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_must_be_a_positive_number() {
        assert_eq!(columns(Some("120")), Some(120));
        assert_eq!(columns(Some(" 80\n")), Some(80));
        for bad in [None, Some(""), Some("0"), Some("-3"), Some("wide")] {
            assert_eq!(columns(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999G").is_err());
    }
}
