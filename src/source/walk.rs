//! Walking directory trees with the `ignore` crate's parallel walker.
//!
//! Owns: which files are read (`.gitignore` rules unless `--no-ignore`, hidden files
//! included, `.git/` never, symlinks never followed), the size check before reading,
//! and reading into a per-thread buffer that is reused. What the bytes are (binary,
//! UTF-16, text) is the blob worker's business. Every file
//! that is not read is reported to the visitor as a skip with its reason; every error
//! as a fault with its path. Invariant: a file is read at most once, never written,
//! and not at all when the visitor already knows it from its metadata (`cached`).

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::model::SkipReason;

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
    /// A directory; `is_repo` when it holds a `.git` (directory or file). Returns
    /// whether to descend into it (a bare repository is read through git instead).
    fn dir(&mut self, path: &Path, rel: &str, is_repo: bool) -> bool;
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
    builder
        .hidden(false)
        .follow_links(false)
        .threads(opts.threads.max(1))
        // Only the tree itself decides what is ignored: no parent-directory ignore
        // files and no user-global excludes, so the same tree gives the same inventory
        // on every machine.
        .parents(false)
        .git_global(false)
        .require_git(false)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .filter_entry(|e| e.file_name() != ".git");
    let walker = builder.build_parallel();
    let mut vb = Builder {
        root: root.to_path_buf(),
        max_file_size: opts.max_file_size,
        make: &make,
    };
    walker.visit(&mut vb);
}

struct Builder<'a, F> {
    root: PathBuf,
    max_file_size: u64,
    make: &'a F,
}

impl<'s, V, F> ParallelVisitorBuilder<'s> for Builder<'_, F>
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
        })
    }
}

struct Worker<V> {
    root: PathBuf,
    max_file_size: u64,
    buf: Vec<u8>,
    visitor: V,
}

impl<V: Visitor> ParallelVisitor for Worker<V> {
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

impl<V: Visitor> Worker<V> {
    fn rel(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let mut s = String::new();
        for (i, c) in rel.components().enumerate() {
            if i > 0 {
                s.push('/');
            }
            s.push_str(&c.as_os_str().to_string_lossy());
        }
        s
    }

    fn entry(&mut self, e: &DirEntry) -> WalkState {
        let Some(ft) = e.file_type() else {
            // stdin is the only entry without a type; we never walk it.
            return WalkState::Continue;
        };
        let rel = self.rel(e.path());
        if ft.is_dir() {
            let is_repo = e.path().join(".git").symlink_metadata().is_ok();
            return if self.visitor.dir(e.path(), &rel, is_repo) {
                WalkState::Continue
            } else {
                WalkState::Skip
            };
        }
        self.file_entry(e, ft, &rel);
        WalkState::Continue
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
        let meta = match e.metadata() {
            Ok(m) => m,
            Err(err) => {
                let (_, message) = split_error(&err);
                self.visitor.fault(e.path().display().to_string(), message);
                return;
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
        let read = File::open(e.path()).and_then(|f| {
            // The file may have grown since the stat: never read past the limit.
            f.take(self.max_file_size + 1).read_to_end(&mut self.buf)
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
