//! `aiscout completions SHELL` and `aiscout man`: shell completion scripts and the
//! roff manual page, generated from the clap definition itself by clap's own
//! generators (`clap_complete`, `clap_mangen`), so they can never drift from the
//! flags the binary accepts. Both write to stdout (or `man --dir` to files) and
//! never scan anything.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Outcome};

/// `aiscout completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `aiscout man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (aiscout.1, aiscout-scan.1, …) into DIR instead of
    /// the main page to stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Writes the completion script for `args.shell` to stdout.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "aiscout", &mut buf);
    write_stdout(&buf)
}

/// Writes the manual page (roff) to stdout, or every command's page into a directory.
pub fn man(args: &ManArgs) -> anyhow::Result<Outcome> {
    let cmd = Cli::command();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .with_context(|| format!("writing manual pages into {}", dir.display()))?;
        return Ok(Outcome::Clean);
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    write_stdout(&buf)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Outcome::Clean)
}
