//! Walking directory trees with the `ignore` crate's parallel walker.
//!
//! Owns: which files are read (hidden files included, `.git/` never, symlinks never
//! followed; every file a repository's index tracks; of the rest, what no ignore file
//! excludes, unless `--no-ignore`), what a directory is (a repository only when git
//! says so: a `.git` entry, or a bare repository its enclosing one does not track), the
//! size check before reading,
//! and reading into a per-thread buffer that is reused. What the bytes are (binary,
//! UTF-16, text) is the blob worker's business. Every file
//! that is not read is reported to the visitor as a skip with its reason; every error
//! as a fault with its path. Invariant: a file is read at most once, never written,
//! and not at all when the visitor already knows it from its metadata (`cached`).

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use super::binary_sniff;
use super::ignores::{self, Chain, IGNORE_FILES};
use super::index::Tracked;
use super::limits::BINARY_SNIFF_LEN;
use crate::model::SkipReason;

/// What a directory met by the walk is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirKind {
    /// A directory of files.
    Plain,
    /// A work tree's top level: it holds a `.git` (directory or gitfile).
    Repo,
    /// A bare repository (`HEAD`, `objects/`, `refs/`) that the repository around it
    /// does not track: a mirror, read through git. A committed directory of that shape
    /// is ordinary content, walked as files (issue #14).
    Bare,
}

/// How to walk.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Read files that `.gitignore` / `.ignore` would exclude.
    pub no_ignore: bool,
    /// Skip files larger than this many bytes, without reading them.
    pub max_file_size: u64,
    /// Worker threads (at least 1).
    pub threads: usize,
}

/// What the walk reports, per thread. Paths are relative to the scan root and
/// `/`-separated (`""` for the root itself).
pub trait Visitor: Send {
    /// A directory, and what it is. Returns whether to descend into it (a bare
    /// repository is read through git instead).
    fn dir(&mut self, path: &Path, rel: &str, kind: DirKind) -> bool;
    /// An ignore file at `rel` that is not applied, and why (over a limit, a symlink,
    /// unreadable): what it would exclude is read. Counted as an `ignore_file` skip.
    fn ignore_skipped(&mut self, _rel: &str, _message: String) {}
    /// Whether the file at `rel` is wanted at all (asked before it is opened or even
    /// stat-ed; an unwanted file is neither read nor counted).
    fn wants(&mut self, _rel: &str) -> bool {
        true
    }
    /// Whether the visitor already knows the outcome of the regular file at `rel` from
    /// its metadata alone (e.g. `scan --cache`: unchanged since a scan that read it).
    /// Asked after the size check, before the file is opened. When it returns true the
    /// file is neither opened nor reported again; when false, exactly one of `file`,
    /// `skip` or `fault` follows for this `rel`, on this thread.
    fn cached(&mut self, _rel: &str, _meta: &Metadata) -> bool {
        false
    }
    /// Does [`Visitor::cached`] look at the stat? Then a file is stat-ed by its path
    /// first, and a cache hit is never opened; otherwise it is opened first and its
    /// size read from the open file: one path lookup instead of two.
    fn uses_stat(&self) -> bool {
        false
    }
    /// A regular file that was read; `bytes` is its whole content, as on disk.
    fn file(&mut self, rel: &str, bytes: &[u8]);
    /// A file that was not read, and why.
    fn skip(&mut self, rel: &str, reason: SkipReason);
    /// Something that went wrong, with its path; makes the exit code 2.
    fn fault(&mut self, path: String, message: String);
}

/// Walks `root` in parallel, calling a visitor made by `make` on each thread. Returns
/// when every file is visited; visitors are dropped (and can flush) before it returns.
pub fn walk<V, F>(root: &Path, opts: &WalkOptions, make: F)
where
    V: Visitor,
    F: Fn() -> V + Sync,
{
    let mut builder = WalkBuilder::new(root);
    // Ignore files are ours (`ignores`): the crate's reading has no bounds, and it
    // cannot know that tracked files are never ignored. Only the tree itself decides
    // what is ignored: no parent-directory ignore files and no user-global excludes,
    // so the same tree gives the same inventory on every machine.
    builder
        .standard_filters(false)
        .follow_links(false)
        .threads(opts.threads.max(1))
        .filter_entry(|e| e.file_name() != ".git");
    let walker = builder.build_parallel();
    let dirs = Dirs {
        no_ignore: opts.no_ignore,
        states: RwLock::new(HashMap::new()),
    };
    let mut vb = Builder {
        root: root.to_path_buf(),
        max_file_size: opts.max_file_size,
        make: &make,
        dirs: &dirs,
    };
    walker.visit(&mut vb);
}

/// A work tree met by the walk, and (read once, when first needed) what its index
/// tracks.
#[derive(Debug)]
struct RepoFiles {
    root: PathBuf,
    tracked: OnceLock<Tracked>,
}

impl RepoFiles {
    fn tracked(&self) -> &Tracked {
        self.tracked.get_or_init(|| Tracked::of(&self.root))
    }

    /// `path` relative to the work tree, `/`-separated.
    fn rel(&self, path: &Path) -> String {
        slash_rel(&self.root, path)
    }
}

/// What applies in one directory: its repository and its ignore files.
#[derive(Debug, Default)]
struct DirState {
    repo: Option<Arc<RepoFiles>>,
    chain: Chain,
}

/// Every directory's state, shared by the walk threads. A directory is always visited
/// before anything in it, so its parent's state is known when it is.
struct Dirs {
    no_ignore: bool,
    // FIXME(#14): one entry per directory; an org folder of a million directories holds
    // ~100 MB here. Only directories that differ from their parent need one.
    states: RwLock<HashMap<PathBuf, Arc<DirState>>>,
}

impl Dirs {
    fn get(&self, dir: &Path) -> Arc<DirState> {
        self.states
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
            .cloned()
            .unwrap_or_default()
    }

    fn set(&self, dir: &Path, state: DirState) {
        self.states
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), Arc::new(state));
    }
}

struct Builder<'a, F> {
    root: PathBuf,
    max_file_size: u64,
    make: &'a F,
    dirs: &'a Dirs,
}

impl<'s, V, F> ParallelVisitorBuilder<'s> for Builder<'s, F>
where
    V: Visitor + 's,
    F: Fn() -> V + Sync,
{
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Worker {
            root: self.root.clone(),
            max_file_size: self.max_file_size,
            buf: Vec::new(),
            visitor: (self.make)(),
            dirs: self.dirs,
        })
    }
}

struct Worker<'d, V> {
    root: PathBuf,
    max_file_size: u64,
    buf: Vec<u8>,
    visitor: V,
    dirs: &'d Dirs,
}

impl<V: Visitor> ParallelVisitor for Worker<'_, V> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(e) => return self.entry(&e),
            Err(err) => {
                let (path, message) = split_error(&err);
                self.visitor.fault(path, message);
            }
        }
        WalkState::Continue
    }
}

/// `path` below `root`, `/`-separated (`""` for `root` itself).
fn slash_rel(root: &Path, path: &Path) -> String {
    // The walk joins names onto the root, so the bytes after the root's are already the
    // answer; splitting into components (as below) costs a scan per name of every file.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (r, p) = (root.as_os_str().as_bytes(), path.as_os_str().as_bytes());
        if let Some(rest) = p.strip_prefix(r) {
            let rest = match rest {
                [b'/', tail @ ..] => Some(tail),
                [] => Some(rest),
                // The root itself ends in `/` (as `/` does).
                _ if r.ends_with(b"/") => Some(rest),
                _ => None,
            };
            if let Some(rest) = rest.filter(|b| is_plain(b)) {
                return String::from_utf8_lossy(rest).into_owned();
            }
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut s = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}

/// Whether `rel` is already `/`-separated names with nothing for [`Path::components`]
/// to normalise: no empty, `.` or `..` name, no leading or trailing `/`.
#[cfg(unix)]
fn is_plain(rel: &[u8]) -> bool {
    rel.is_empty()
        || rel
            .split(|&b| b == b'/')
            .all(|n| !matches!(n, b"" | b"." | b".."))
}

impl<V: Visitor> Worker<'_, V> {
    fn rel(&self, path: &Path) -> String {
        slash_rel(&self.root, path)
    }

    fn entry(&mut self, e: &DirEntry) -> WalkState {
        let Some(ft) = e.file_type() else {
            // stdin is the only entry without a type; we never walk it.
            return WalkState::Continue;
        };
        let rel = self.rel(e.path());
        let parent = match e.path().parent() {
            Some(p) if e.depth() > 0 => self.dirs.get(p),
            _ => Arc::default(),
        };
        // Tracked by the repository around it: always read, whatever ignore files say.
        let tracked = |is_dir: bool| {
            parent.repo.as_ref().is_some_and(|r| {
                let at = r.rel(e.path());
                if is_dir {
                    r.tracked().has_under(&at)
                } else {
                    r.tracked().contains(&at)
                }
            })
        };
        if ft.is_dir() {
            return self.dir_entry(e, &rel, &parent, &|| tracked(true));
        }
        if !self.dirs.no_ignore && parent.chain.ignores(e.path(), false) && !tracked(false) {
            return WalkState::Continue;
        }
        self.file_entry(e, ft, &rel);
        WalkState::Continue
    }

    fn dir_entry(
        &mut self,
        e: &DirEntry,
        rel: &str,
        parent: &DirState,
        tracked: &dyn Fn() -> bool,
    ) -> WalkState {
        let path = e.path();
        // The index is asked only when it decides: most directories are neither
        // ignored nor shaped like a bare repository.
        let ignored = e.depth() > 0 && !self.dirs.no_ignore && parent.chain.ignores(path, true);
        if ignored && !tracked() {
            return WalkState::Skip;
        }
        let is_repo = path.join(".git").symlink_metadata().is_ok();
        let kind = if is_repo {
            DirKind::Repo
        } else if e.depth() > 0 && super::git::is_bare(path) && !tracked() {
            DirKind::Bare
        } else {
            DirKind::Plain
        };
        if !self.visitor.dir(path, rel, kind) {
            return WalkState::Skip;
        }
        let repo = if is_repo {
            Some(Arc::new(RepoFiles {
                root: path.to_path_buf(),
                tracked: OnceLock::new(),
            }))
        } else {
            parent.repo.clone()
        };
        let chain = if self.dirs.no_ignore {
            Chain::default()
        } else {
            self.chain(path, rel, is_repo, parent, ignored)
        };
        self.dirs.set(path, DirState { repo, chain });
        WalkState::Continue
    }

    /// The ignore files that apply in the directory at `path`: its own on top of its
    /// parent's; a work tree starts afresh, with its `.git/info/exclude`.
    fn chain(
        &mut self,
        path: &Path,
        rel: &str,
        is_repo: bool,
        parent: &DirState,
        ignored: bool,
    ) -> Chain {
        let join = |name: &str| {
            if rel.is_empty() {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            }
        };
        let mut own = Vec::new();
        let mut names: Vec<String> = IGNORE_FILES.iter().map(|n| n.to_string()).collect();
        if is_repo {
            names.push(".git/info/exclude".into());
        }
        for name in &names {
            match ignores::read(path, name) {
                Ok(Some(g)) => own.push(g),
                Ok(None) => {}
                Err(message) => self.visitor.ignore_skipped(&join(name), message),
            }
        }
        let base = if is_repo {
            Chain::default()
        } else {
            parent.chain.clone()
        };
        base.child(own, ignored).unwrap_or_else(|within| {
            self.visitor.ignore_skipped(
                &join(".gitignore"),
                format!(
                    "nested below {} ignore files: not applied",
                    crate::source::limits::MAX_IGNORE_DEPTH
                ),
            );
            within
        })
    }

    fn file_entry(&mut self, e: &DirEntry, ft: std::fs::FileType, rel: &str) {
        if !self.visitor.wants(rel) {
            return;
        }
        let rel = rel.to_string();
        if ft.is_symlink() {
            self.visitor.skip(&rel, SkipReason::Symlink);
            return;
        }
        if !ft.is_file() {
            self.visitor.skip(&rel, SkipReason::Special);
            return;
        }
        let (meta, opened) = if self.visitor.uses_stat() {
            match e.metadata() {
                Ok(m) => (m, None),
                Err(err) => {
                    let (_, message) = split_error(&err);
                    self.visitor.fault(e.path().display().to_string(), message);
                    return;
                }
            }
        } else {
            match File::open(e.path()).and_then(|f| Ok((f.metadata()?, f))) {
                Ok((m, f)) => (m, Some(f)),
                // A file too large to read is a skip whether or not it could be read.
                Err(_) if e.metadata().is_ok_and(|m| m.len() > self.max_file_size) => {
                    self.visitor.skip(&rel, SkipReason::TooLarge);
                    return;
                }
                Err(err) => {
                    self.visitor
                        .fault(e.path().display().to_string(), err.to_string());
                    return;
                }
            }
        };
        if meta.len() > self.max_file_size {
            self.visitor.skip(&rel, SkipReason::TooLarge);
            return;
        }
        if self.visitor.cached(&rel, &meta) {
            return;
        }
        self.buf.clear();
        let file = match opened {
            Some(f) => Ok(f),
            None => File::open(e.path()),
        };
        let read = file.and_then(|f| {
            // The file may have grown since the stat: never read past the limit.
            let mut f = f.take(self.max_file_size + 1);
            // Most bytes of a virtualenv are binaries (`.so`, `.pyc`): their first
            // 8 KiB decide, so the rest is never read (the worker reaches the same
            // verdict on the sniff alone).
            (&mut f)
                .take(BINARY_SNIFF_LEN as u64)
                .read_to_end(&mut self.buf)?;
            if binary_sniff(&self.buf) {
                return Ok(0);
            }
            f.read_to_end(&mut self.buf)
        });
        if let Err(err) = read {
            self.visitor
                .fault(e.path().display().to_string(), err.to_string());
            return;
        }
        if self.buf.len() as u64 > self.max_file_size {
            self.visitor.skip(&rel, SkipReason::TooLarge);
            return;
        }
        self.visitor.file(&rel, &self.buf);
    }
}

/// Splits an `ignore` error into (path, message) so a fault names its path once.
fn split_error(err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => (path.display().to_string(), err.to_string()),
        ignore::Error::WithDepth { err, .. } => split_error(err),
        ignore::Error::WithLineNumber { err, .. } => split_error(err),
        ignore::Error::Loop { child, .. } => {
            (child.display().to_string(), "filesystem loop".to_string())
        }
        other => ("-".to_string(), other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte shortcut gives what splitting into components gives, on every shape a
    /// walk or a caller can hand it.
    #[test]
    fn slash_rel_agrees_with_components() {
        let slow = |root: &Path, path: &Path| -> String {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        };
        for (root, path) in [
            ("/r", "/r"),
            ("/r", "/r/a"),
            ("/r", "/r/a/b.py"),
            ("/r/", "/r/a/b.py"),
            ("/", "/a/b"),
            ("/r", "/r//a"),
            ("/r", "/r/./a"),
            ("/r", "/r/a/"),
            ("/r", "/rx/a"),
            ("/r", "/elsewhere/a"),
            ("r", "r/a/.hidden"),
            (".", "./a/b"),
        ] {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(slash_rel(root, path), slow(root, path), "{root:?} {path:?}");
        }
    }
}
