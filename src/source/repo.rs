//! Repositories inside a scanned tree: which directory each file belongs to, and each
//! repository's identity.
//!
//! A scanned folder may hold many clones; each directory with a `.git` (folder or
//! worktree file) is its own repository, and the scan root is always one too (a plain
//! folder counts as a repository of its own). Identity is the remote URL when there is
//! one — with any credentials in it removed — else the path: the path as given for the
//! scan root, the path relative to the scan root for repositories found inside it.
//! Invariant: git is only read (its config, for the remote URL); nothing in it runs.

use std::collections::HashSet;
use std::path::Path;
use std::sync::RwLock;

/// The repository roots found so far in one scan root, as root-relative paths.
#[derive(Debug)]
pub struct RepoRoots {
    roots: RwLock<HashSet<String>>,
}

impl Default for RepoRoots {
    fn default() -> Self {
        let mut set = HashSet::new();
        set.insert(String::new());
        RepoRoots {
            roots: RwLock::new(set),
        }
    }
}

impl RepoRoots {
    /// Records `rel` (root-relative) as a repository root.
    pub fn add(&self, rel: &str) {
        self.roots
            .write()
            .expect("repo-root lock is never poisoned: no code panics while holding it")
            .insert(rel.to_string());
    }

    /// Splits a root-relative file path into (repository root, path inside it), using
    /// the deepest repository root above the file. Parents are visited before their
    /// children, so every root above a file is known by the time the file is.
    pub fn resolve<'a>(&self, file_rel: &'a str) -> (&'a str, &'a str) {
        let roots = self
            .roots
            .read()
            .expect("repo-root lock is never poisoned: no code panics while holding it");
        let mut end = file_rel.len();
        while let Some(i) = file_rel[..end].rfind('/') {
            let prefix = &file_rel[..i];
            if roots.contains(prefix) {
                return (prefix, &file_rel[i + 1..]);
            }
            end = i;
        }
        ("", file_rel)
    }

    /// Every root, sorted.
    pub fn all(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .roots
            .read()
            .expect("repo-root lock is never poisoned: no code panics while holding it")
            .iter()
            .cloned()
            .collect();
        v.sort();
        v
    }
}

/// The identity of the repository at `dir`: its remote URL (credentials removed) when
/// it is a git repository with a remote, else `None`.
pub fn remote_identity(dir: &Path) -> Option<String> {
    crate::source::git::init();
    let repo = git2::Repository::open_ext(
        dir,
        git2::RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .ok()?;
    remote_identity_of(&repo)
}

/// [`remote_identity`] of a repository already open.
pub fn remote_identity_of(repo: &git2::Repository) -> Option<String> {
    let remotes = repo.remotes().ok()?;
    let mut names: Vec<&str> = remotes.iter().flatten().collect();
    names.sort_by_key(|n| (*n != "origin", n.to_string()));
    let name = names.first()?;
    let remote = repo.find_remote(name).ok()?;
    remote.url().map(strip_credentials)
}

/// Which commit of a git repository a scan read, and on which branch: the audit anchor
/// of each repository in an inventory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// Full hex id of the commit read; `None` when there is none (an empty
    /// repository, a revision that names a tree).
    pub commit: Option<String>,
    /// Short branch name; `None` when `HEAD` is detached or the revision is no branch.
    pub branch: Option<String>,
}

/// The [`Revision`] a scan of `rev` (default `HEAD`) reads. For `HEAD` only refs are
/// read (git keeps `HEAD` on a commit), so a rescan of an unchanged organisation never
/// opens an object database; another `rev` is peeled to its commit.
pub fn revision_of(repo: &git2::Repository, rev: Option<&str>) -> Revision {
    let Some(rev) = rev else {
        let commit = repo.refname_to_id("HEAD").ok().map(|id| id.to_string());
        // Read from `HEAD` itself, so an unborn branch (no commit yet) is still named.
        let branch = repo
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().map(str::to_string))
            .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_string));
        return Revision { commit, branch };
    };
    let commit = repo
        .revparse_single(rev)
        .ok()
        .and_then(|o| o.peel_to_commit().ok())
        .map(|c| c.id().to_string());
    let branch = repo
        .resolve_reference_from_short_name(rev)
        .ok()
        .filter(|r| r.is_branch() || r.is_remote())
        .and_then(|r| r.shorthand().map(str::to_string));
    Revision { commit, branch }
}

/// What a scan records of the git repository at `dir` (its `.git` there, no search
/// upward): the remote identity and the revision of `HEAD`. `None` when git cannot
/// open it.
pub fn describe(dir: &Path) -> Option<(Option<String>, Revision)> {
    let repo = crate::source::git::open(dir).ok()?;
    Some((remote_identity_of(&repo), revision_of(&repo, None)))
}

/// The work tree a scanned folder lies in, when the folder is not a repository root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enclosing {
    /// The folder's path relative to the work tree's root (`/`-separated, never
    /// empty): what the folder's paths are prefixed with.
    pub prefix: String,
    /// The enclosing repository's remote (credentials removed).
    pub remote: Option<String>,
    /// Its `HEAD`.
    pub revision: Revision,
}

/// The git work tree that `dir` lies inside, searched upward from `dir` as git does:
/// never across a filesystem boundary, and never into one of `ceilings` (the
/// `GIT_CEILING_DIRECTORIES` convention: a ceiling itself is not searched). A bare
/// repository above, or `dir` being a work tree root itself, gives `None`.
pub fn enclosing(dir: &Path, ceilings: &[std::path::PathBuf]) -> Option<Enclosing> {
    crate::source::git::init();
    // Ceilings compare as paths, so both sides are made absolute and free of links.
    let dir = dir.canonicalize().ok()?;
    let ceilings: Vec<std::path::PathBuf> = ceilings
        .iter()
        .map(|c| c.canonicalize().unwrap_or_else(|_| c.clone()))
        .collect();
    // Without CROSS_FS, libgit2 stops at a filesystem boundary.
    let repo =
        git2::Repository::open_ext(&dir, git2::RepositoryOpenFlags::empty(), &ceilings).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let inside = dir.strip_prefix(&workdir).ok()?;
    let prefix = inside
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<&str>>>()?
        .join("/");
    if prefix.is_empty() {
        return None;
    }
    Some(Enclosing {
        prefix,
        remote: remote_identity_of(&repo),
        revision: revision_of(&repo, None),
    })
}

/// Removes `user:password@`, the query and the fragment from a URL, so a token in a
/// remote (`https://x:ghp_…@host/…`, `…/repo.git?access_token=…`) never reaches a report.
pub fn strip_credentials(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => format!("{}{rest}", &url[..scheme_end + 3]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_picks_the_deepest_root() {
        let r = RepoRoots::default();
        r.add("org/a");
        r.add("org/a/vendor/b");
        assert_eq!(r.resolve("org/a/src/x.py"), ("org/a", "src/x.py"));
        assert_eq!(r.resolve("org/a/vendor/b/y.py"), ("org/a/vendor/b", "y.py"));
        assert_eq!(r.resolve("top.py"), ("", "top.py"));
        assert_eq!(r.resolve("org/c/z.py"), ("", "org/c/z.py"));
    }

    #[test]
    fn credentials_are_stripped_from_remote_urls() {
        assert_eq!(
            strip_credentials("https://user:ghp_token@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            strip_credentials("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        assert_eq!(
            strip_credentials("https://github.com/o/r@v1"),
            "https://github.com/o/r@v1"
        );
        for url in [
            "https://github.com/o/r.git?token=abc123",
            "https://u:p@github.com/o/r.git?access_token=x#frag",
            "https://github.com/o/r.git#private_token=y",
        ] {
            assert_eq!(
                strip_credentials(url),
                "https://github.com/o/r.git",
                "{url}"
            );
        }
        // A query before any path: the authority is still found.
        assert_eq!(strip_credentials("https://h?u=a@b"), "https://h");
    }
}

/// `--shard I/N`: the repositories this run scans, chosen by a stable hash of their
/// identity, so N runs on N machines cover an organisation exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` (1 ≤ I ≤ N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: write I/N, e.g. 2/8"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: I is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("`{s}`: need 1 ≤ I ≤ N"));
        }
        Ok(Shard { index, count })
    }

    /// Does this shard scan the repository with `identity`?
    pub fn selects(&self, identity: &str) -> bool {
        use sha2::{Digest, Sha256};
        let d = Sha256::digest(identity.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&d[..8]);
        u64::from_be_bytes(first) % self.count == self.index - 1
    }
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn shards_partition_identities() {
        let shards: Vec<Shard> = (1..=4).map(|i| Shard { index: i, count: 4 }).collect();
        for k in 0..200 {
            let id = format!("https://github.com/acme/repo-{k}.git");
            assert_eq!(shards.iter().filter(|s| s.selects(&id)).count(), 1);
        }
        assert!(
            Shard::parse("0/3").is_err()
                && Shard::parse("4/3").is_err()
                && Shard::parse("x").is_err()
        );
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
    }
}
