//! `aiscout register PATH [--owner TEAM] [--name NAME] [--registry FILE]`: the one-command
//! fix for an unowned or unregistered agent. It writes the owner declaration
//! (`aiscout.yaml`) in the agent's directory and appends an entry for it to the
//! sanctioned registry, in the registry's own format (YAML, JSON or CSV; a new file is
//! YAML). This is the one command whose purpose is writing into a repository, and only
//! what the user named.
//!
//! Idempotent: a declaration naming the same owner and an entry for the same repository
//! and path are left alone. A declaration naming another owner is refused unless
//! `--force`; an entry naming another owner is always refused (the registry is the
//! organisation's record: edit it by hand). Nothing is written unless every check passes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use serde_json::Value;

use super::{GlobalArgs, Outcome};
use crate::inventory::registry::{unit_path, RepoKey};
use crate::inventory::Registry;

/// `aiscout register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The agent's directory (its unit path in a repository).
    pub path: PathBuf,
    /// The owning team or person (`@acme/bot-team`) [default: the owner its
    /// aiscout.yaml already declares].
    #[arg(long, value_name = "TEAM")]
    pub owner: Option<String>,
    /// The agent's registered name [default: its aiscout.yaml `name`, else the
    /// directory's name].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The registry to add the agent to (created as YAML if missing) [default: `[scan]
    /// registry` of the aiscout.toml in the current directory, else none].
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// The repository as the registry should name it [default: its remote, else the
    /// name of its root folder].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Replace an owner the directory's aiscout.yaml already declares.
    #[arg(long)]
    pub force: bool,
}

/// The declaration file.
const DECLARATION: &str = "aiscout.yaml";

/// Larger than this, an aiscout.yaml or a registry is not what we expect.
const MAX_FILE: u64 = 16 << 20;

/// Where the agent lives: its repository as a registry names it, and its unit path.
struct Place {
    repo: String,
    path: String,
    /// The repository root's folder name, for the name of a root unit.
    root_name: String,
}

/// The repository around `dir` and the unit path of `dir` in it: a git work tree's root
/// and remote; outside git, the current directory when `dir` lies in it, else `dir`.
fn place(dir: &Path, repo: Option<&str>) -> anyhow::Result<Place> {
    let dir = dir
        .canonicalize()
        .with_context(|| format!("{}", dir.display()))?;
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".".into())
    };
    let (remote, path, root) = if let Some(e) = crate::source::repo::enclosing(&dir, &[]) {
        let mut root = dir.clone();
        for _ in e.prefix.split('/') {
            root.pop();
        }
        (e.remote, e.prefix, root)
    } else if let Some((remote, _)) = crate::source::repo::describe(&dir) {
        (remote, ".".to_string(), dir.clone())
    } else {
        let cwd = std::env::current_dir()?.canonicalize()?;
        let root = if dir.starts_with(&cwd) {
            cwd
        } else {
            dir.clone()
        };
        let inside = dir.strip_prefix(&root).unwrap_or(Path::new(""));
        let rel: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (None, rel.join("/"), root)
    };
    let root_name = name_of(&root);
    let repo = match (repo, remote) {
        (Some(r), _) => r.to_string(),
        (None, Some(remote)) => remote,
        (None, None) => root_name.clone(),
    };
    Ok(Place {
        repo,
        path: unit_path(&path),
        root_name,
    })
}

/// Reads a small regular file as text, or None when it does not exist.
fn read_small(file: &Path) -> anyhow::Result<Option<String>> {
    let meta = match std::fs::symlink_metadata(file) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{}", file.display())),
    };
    if !meta.is_file() || meta.len() > MAX_FILE {
        bail!(
            "{}: not a regular file of at most 16 MiB",
            crate::model::shown(&file.display().to_string())
        );
    }
    Ok(Some(
        std::fs::read_to_string(file).with_context(|| format!("{}", file.display()))?,
    ))
}

/// `key:` of a declaration: its first top-level `key: value` line (what the owner rule
/// reads), unquoted.
fn declared(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(key)?.strip_prefix(':')?;
        let v = rest.split(" #").next().unwrap_or(rest).trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(v);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// A YAML scalar for any text: JSON's double-quoted string is one.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The declaration to write (None: leave the file alone), and the owner it names.
fn declaration(
    existing: Option<&str>,
    owner: Option<&str>,
    name: &str,
    force: bool,
    file: &str,
) -> anyhow::Result<(Option<String>, String)> {
    let had = existing.and_then(|t| declared(t, "owner"));
    match (existing, had, owner) {
        (_, None, None) => bail!(
            "{file} declares no owner: give --owner TEAM (the team that answers for this agent)"
        ),
        (_, Some(had), None) => Ok((None, had)),
        (Some(_), Some(had), Some(o)) if had == o => Ok((None, had)),
        (Some(_), Some(had), Some(o)) if !force => {
            bail!("{file} already names the owner {had}, not {o}: pass --force to replace it")
        }
        (Some(text), _, Some(o)) => {
            // Replace the owner line, or add one; the rest of the file stays as it is.
            let mut lines: Vec<String> = Vec::new();
            let mut done = false;
            for l in text.lines() {
                if !done && l.strip_prefix("owner").is_some_and(|r| r.starts_with(':')) {
                    lines.push(format!("owner: {}", quoted(o)));
                    done = true;
                } else {
                    lines.push(l.to_string());
                }
            }
            if !done {
                lines.push(format!("owner: {}", quoted(o)));
            }
            Ok((Some(lines.join("\n") + "\n"), o.to_string()))
        }
        (None, _, Some(o)) => Ok((
            Some(format!("name: {}\nowner: {}\n", quoted(name), quoted(o))),
            o.to_string(),
        )),
    }
}

/// What `aiscout register` adds to a registry.
struct Entry<'a> {
    name: &'a str,
    owner: &'a str,
    repo: &'a str,
    path: &'a str,
}

/// The registry's text with `e` added (None: it already lists the agent), refusing an
/// entry that names the agent with another owner and a catalog export.
fn registry_text(file: &str, existing: Option<&str>, e: &Entry) -> anyhow::Result<Option<String>> {
    let lower = file.to_ascii_lowercase();
    let Some(text) = existing else {
        return Ok(Some(if lower.ends_with(".json") {
            let v = serde_json::json!({"agents": [json_entry(e)]});
            serde_json::to_string_pretty(&v)? + "\n"
        } else if lower.ends_with(".csv") {
            format!(
                "name,owner,repo,path\n{}\n",
                csv_row(&[e.name, e.owner, e.repo, e.path])
            )
        } else {
            format!("agents:\n{}", yaml_item(e, "  "))
        }));
    };
    let registry = Registry::parse(file, text)?;
    if registry.format == "backstage" {
        bail!(
            "registry {file} is a Backstage catalog export: register the agent in Backstage \
             (a catalog-info.yaml with spec.type: ai-agent), then export the catalog again"
        );
    }
    let (key, path) = (RepoKey::of(e.repo), unit_path(e.path));
    if let Some(have) = registry
        .entries
        .iter()
        .find(|x| unit_path(&x.path) == path && RepoKey::of(&x.repo) == key)
    {
        return match have.owner.as_deref() {
            Some(o) if o != e.owner => bail!(
                "registry {file} already lists {} at {} with the owner {o}, not {}: edit that \
                 entry ({}) yourself",
                e.repo,
                e.path,
                e.owner,
                have.entry
            ),
            _ => Ok(None),
        };
    }
    let new = match registry.format.as_str() {
        "json" => {
            let mut v: Value = serde_json::from_str(text)?;
            match v.get_mut("agents").and_then(Value::as_array_mut) {
                Some(list) => list.push(json_entry(e)),
                None => bail!("registry {file}: `agents` is not a list"),
            }
            serde_json::to_string_pretty(&v)? + "\n"
        }
        "csv" => {
            let header: Vec<String> = text
                .lines()
                .next()
                .unwrap_or("")
                .split(',')
                .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
                .collect();
            let cells: Vec<&str> = header
                .iter()
                .map(|h| match h.as_str() {
                    "name" => e.name,
                    "owner" => e.owner,
                    "repo" => e.repo,
                    "path" => e.path,
                    _ => "",
                })
                .collect();
            let sep = if text.ends_with('\n') || text.is_empty() {
                ""
            } else {
                "\n"
            };
            format!("{text}{sep}{}\n", csv_row(&cells))
        }
        _ => {
            // Appended in the block style of the list's existing items; checked below.
            let indent = text
                .lines()
                .skip_while(|l| !l.starts_with("agents:"))
                .skip(1)
                .find(|l| l.trim_start().starts_with("- "))
                .map(|l| l[..l.len() - l.trim_start().len()].to_string())
                .unwrap_or_else(|| "  ".into());
            // An empty flow list (`agents: []`) becomes a block list.
            let text = text
                .lines()
                .map(|l| {
                    if l.trim_end() == "agents: []" {
                        "agents:"
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            format!("{text}\n{}", yaml_item(e, &indent))
        }
    };
    // Never write a registry that no longer reads as before plus this one entry.
    let after = Registry::parse(file, &new).ok();
    let ok = after.as_ref().is_some_and(|a| {
        a.entries.len() == registry.entries.len() + 1
            && a.entries.last().is_some_and(|x| {
                x.name == e.name
                    && x.owner.as_deref() == Some(e.owner)
                    && x.repo == e.repo
                    && x.path == e.path
            })
    });
    if !ok {
        bail!(
            "registry {file}: cannot append an entry safely (is `agents:` its last key, in \
             block style?); add this entry yourself:\n{}",
            yaml_item(e, "  ")
        );
    }
    Ok(Some(new))
}

fn json_entry(e: &Entry) -> Value {
    serde_json::json!({"name": e.name, "owner": e.owner, "repo": e.repo, "path": e.path})
}

fn yaml_item(e: &Entry, indent: &str) -> String {
    let pad = format!("{indent}  ");
    format!(
        "{indent}- name: {}\n{pad}owner: {}\n{pad}repo: {}\n{pad}path: {}\n",
        quoted(e.name),
        quoted(e.owner),
        quoted(e.repo),
        quoted(e.path)
    )
}

fn csv_row(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The registry file: `--registry`, else `[scan] registry` of the current directory's
/// aiscout.toml.
fn registry_file(args: &RegisterArgs) -> anyhow::Result<Option<PathBuf>> {
    if let Some(r) = &args.registry {
        return Ok(Some(r.clone()));
    }
    let cwd = std::env::current_dir()?;
    let Some(path) = super::config::path_in(&cwd) else {
        return Ok(None);
    };
    let configs = [super::config::Loaded {
        config: super::config::load(&cwd)?,
        path,
    }];
    Ok(super::config::registry_file(None, &configs)?.map(|(f, _)| f))
}

/// Runs `aiscout register`.
pub fn run(args: &RegisterArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let shown = |p: &Path| crate::model::shown(&p.display().to_string()).into_owned();
    if !args.path.is_dir() {
        bail!(
            "{}: not a directory (give the agent's directory)",
            shown(&args.path)
        );
    }
    if let Some(o) = &args.owner {
        if o.trim().is_empty() || o.contains(['\n', '\r']) {
            bail!("--owner must be a team handle or name on one line");
        }
    }
    let place = place(&args.path, args.repo.as_deref())?;
    let decl_file = args.path.join(DECLARATION);
    let existing = read_small(&decl_file)?;
    let name = args
        .name
        .clone()
        .or_else(|| existing.as_deref().and_then(|t| declared(t, "name")))
        .unwrap_or_else(|| match place.path.as_str() {
            "." => place.root_name.clone(),
            p => p.rsplit('/').next().unwrap_or(p).to_string(),
        });
    let (decl, owner) = declaration(
        existing.as_deref(),
        args.owner.as_deref(),
        &name,
        args.force,
        &shown(&decl_file),
    )?;
    let registry = registry_file(args)?;
    // Every check before any write: a refused registry leaves the declaration alone too.
    let entry = Entry {
        name: &name,
        owner: &owner,
        repo: &place.repo,
        path: &place.path,
    };
    let reg_change = match &registry {
        Some(file) => registry_text(&shown(file), read_small(file)?.as_deref(), &entry)?,
        None => None,
    };
    let mut out = std::io::stdout().lock();
    let mut say = |line: String| -> anyhow::Result<()> {
        if !global.quiet {
            writeln!(out, "{}", crate::model::shown(&line))?;
        }
        Ok(())
    };
    match decl {
        Some(text) => {
            std::fs::write(&decl_file, text)
                .with_context(|| format!("writing {}", shown(&decl_file)))?;
            say(format!("wrote {} (owner {owner})", shown(&decl_file)))?;
        }
        None => say(format!(
            "{} already declares the owner {owner}: unchanged",
            shown(&decl_file)
        ))?,
    }
    match (&registry, reg_change) {
        (Some(file), Some(text)) => {
            std::fs::write(file, text).with_context(|| format!("writing {}", shown(file)))?;
            say(format!(
                "added to registry {}: name {name}, owner {owner}, repo {}, path {}",
                shown(file),
                place.repo,
                place.path
            ))?;
        }
        (Some(file), None) => say(format!(
            "registry {} already lists {} at {}: unchanged",
            shown(file),
            place.repo,
            place.path
        ))?,
        (None, _) => say(
            "no registry (--registry FILE or [scan] registry): only the owner declaration"
                .to_string(),
        )?,
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_is_written_kept_or_refused() {
        let (text, owner) = declaration(None, Some("@acme/a"), "bot", false, "f").unwrap();
        assert_eq!(text.as_deref(), Some("name: \"bot\"\nowner: \"@acme/a\"\n"));
        assert_eq!(owner, "@acme/a");
        let had = "name: bot\nowner: \"@acme/a\"  # team\n";
        assert_eq!(
            declaration(Some(had), Some("@acme/a"), "bot", false, "f")
                .unwrap()
                .0,
            None
        );
        assert_eq!(
            declaration(Some(had), None, "bot", false, "f").unwrap().1,
            "@acme/a"
        );
        let refused = declaration(Some(had), Some("@acme/b"), "bot", false, "f").unwrap_err();
        assert!(refused.to_string().contains("--force"));
        let forced = declaration(Some(had), Some("@acme/b"), "bot", true, "f")
            .unwrap()
            .0;
        assert_eq!(forced.as_deref(), Some("name: bot\nowner: \"@acme/b\"\n"));
        assert!(declaration(None, None, "bot", false, "f").is_err());
    }

    #[test]
    fn registries_grow_in_their_own_format() {
        let e = Entry {
            name: "bot",
            owner: "@acme/a",
            repo: "acme/bots",
            path: "svc/bot",
        };
        for (file, text) in [
            (
                "r.yaml",
                "agents:\n    - name: x\n      repo: acme/x\n      path: .\n",
            ),
            (
                "r.json",
                "{\"agents\": [{\"name\": \"x\", \"repo\": \"acme/x\", \"path\": \".\"}]}",
            ),
            ("r.csv", "name,repo,path,owner\nx,acme/x,.,\n"),
        ] {
            let new = registry_text(file, Some(text), &e).unwrap().unwrap();
            let r = Registry::parse(file, &new).unwrap();
            assert_eq!(r.entries.len(), 2, "{file}: {new}");
            assert_eq!(r.entries[1].owner.as_deref(), Some("@acme/a"), "{file}");
            // Again: already there.
            assert_eq!(registry_text(file, Some(&new), &e).unwrap(), None, "{file}");
        }
        let other = Entry {
            owner: "@acme/b",
            ..e
        };
        let listed = registry_text("r.yaml", None, &e).unwrap().unwrap();
        assert!(registry_text("r.yaml", Some(&listed), &other).is_err());
        // A flow-style list is not appended to blindly.
        assert!(registry_text("r.yaml", Some("agents: []\nteams: []\n"), &e).is_err());
    }
}
