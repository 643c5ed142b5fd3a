//! Git as a source: the staged changes of a repository, and every unique blob of its
//! history, read through libgit2.
//!
//! Invariants: git is only read. Repositories are opened without searching upwards;
//! nothing here checks out, writes the index or refs, or runs anything: libgit2 never
//! runs hooks, and reading blobs from the object database applies no filters (no
//! smudge, no textconv), so no program configured by the scanned repository can run.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Once;

use git2::{Delta, DiffOptions, ObjectType, Oid, Repository, RepositoryOpenFlags, Sort};

/// A problem with a git repository, naming its path and what to do.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The path is not a git repository or could not be opened.
    #[error("{path}: not a git repository that can be opened ({message})")]
    Open {
        /// The path given.
        path: String,
        /// libgit2's message.
        message: String,
    },
    /// Reading from the repository failed (a corrupt object, a missing ref).
    #[error("{path}: {what}: {message}")]
    Read {
        /// The repository.
        path: String,
        /// What was being read.
        what: String,
        /// libgit2's message.
        message: String,
    },
}

fn read_err(path: &Path, what: &str, e: git2::Error) -> GitError {
    GitError::Read {
        path: path.display().to_string(),
        what: what.to_string(),
        message: e.message().to_string(),
    }
}

/// libgit2's process-wide settings for read-only scanning, made once before the first
/// repository is opened (by any module).
pub fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // SAFETY: called once, before this process opens any repository. We only read
        // objects, refs and the index; the owner check protects against config-driven
        // programs, which this read-only use never runs. Scans routinely read clones
        // owned by other users (CI checkouts, mirrors).
        unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
        }
        // Re-hashing every object read (SHA-1 with collision detection) was a sixth of
        // the time of a mirror scan. git itself does not re-hash on read either; a
        // damaged object still fails to inflate and is reported as a fault.
        git2::opts::strict_hash_verification(false);
        // Only the scanned repository's own config is read: not the scanning user's
        // ~/.gitconfig or /etc/gitconfig, on every open (a tenth of a cached rescan), and
        // never a setting of theirs that would change what a scan sees.
        for level in [
            git2::ConfigLevel::System,
            git2::ConfigLevel::XDG,
            git2::ConfigLevel::Global,
            git2::ConfigLevel::ProgramData,
        ] {
            // SAFETY: as above, once, before any repository is opened.
            unsafe {
                let _ = git2::opts::set_search_path(level, "");
            }
        }
    });
}

/// Is `path` a bare repository (no work tree: `HEAD`, `objects/` and `refs/` in it)?
pub fn is_bare(path: &Path) -> bool {
    path.join("HEAD").is_file()
        && path.join("objects").is_dir()
        && path.join("refs").is_dir()
        && !path.join(".git").exists()
}

/// Opens the repository at `path` (a working tree or a bare repository) for reading.
pub fn open(path: &Path) -> Result<Repository, GitError> {
    init();
    Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .map_err(|e| GitError::Open {
        path: path.display().to_string(),
        message: e.message().to_string(),
    })
}

/// One file of the next commit that differs from `HEAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Path in the repository, `/`-separated.
    pub path: String,
    /// The staged blob.
    pub oid: Oid,
    /// 1-based line numbers added or changed by the staged change (sorted). Empty for a
    /// binary file.
    pub added_lines: Vec<u32>,
}

/// What the next commit would change, and every path of the index (for unit
/// manifests). Uses the index's cache-tree to read only the trees of `HEAD` that the
/// change touches; falls back to libgit2's full diff when the index is not one it reads.
pub fn staged_with_paths(
    repo: &Repository,
    path: &Path,
) -> Result<(Vec<StagedFile>, Vec<String>), GitError> {
    if let Some(r) = staged_fast(repo) {
        return Ok(r);
    }
    let files = staged(repo, path)?;
    let index = staged_index(repo).map_err(|e| read_err(path, "index", e))?;
    let paths = index
        .iter()
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .collect();
    Ok((files, paths))
}

fn index_file(repo: &Repository) -> std::path::PathBuf {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(p) if !p.is_empty() => {
            let p = std::path::PathBuf::from(p);
            match (p.is_relative(), repo.workdir()) {
                (true, Some(w)) => w.join(p),
                _ => p,
            }
        }
        _ => repo.path().join("index"),
    }
}

/// The cache-tree fast path alone: `None` when the index is not one it reads.
pub fn staged_fast(repo: &Repository) -> Option<(Vec<StagedFile>, Vec<String>)> {
    let sha256 = repo
        .config()
        .ok()
        .and_then(|c| c.get_string("extensions.objectformat").ok())
        .is_some_and(|f| f.eq_ignore_ascii_case("sha256"));
    if sha256 {
        return None;
    }
    let data = std::fs::read(index_file(repo)).ok()?;
    let idx = super::index::parse(&data)?;
    let head = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().ok()?),
        Err(_) => None,
    };
    let mut changed: Vec<(usize, Option<Oid>)> = Vec::new();
    compare(
        repo,
        &idx,
        "",
        head.as_ref(),
        0,
        idx.entries.len(),
        &mut changed,
    )?;
    let mut files = Vec::with_capacity(changed.len());
    for (i, old) in changed {
        let e = &idx.entries[i];
        let new_oid = Oid::from_bytes(&e.oid).ok()?;
        let added_lines = added_lines(repo, old, new_oid)?;
        files.push(StagedFile {
            path: e.path.clone(),
            oid: new_oid,
            added_lines,
        });
    }
    let paths = idx.entries.into_iter().map(|e| e.path).collect();
    Some((files, paths))
}

/// Collects the index entries in `lo..hi` (all below `dir`) that differ from `tree`,
/// skipping every directory whose cache-tree id equals `HEAD`'s.
fn compare(
    repo: &Repository,
    idx: &super::index::Index,
    dir: &str,
    tree: Option<&git2::Tree>,
    lo: usize,
    hi: usize,
    out: &mut Vec<(usize, Option<Oid>)>,
) -> Option<()> {
    if let (Some(valid), Some(t)) = (idx.valid_trees.get(dir), tree) {
        if valid.as_slice() == t.id().as_bytes() {
            return Some(());
        }
    }
    let prefix_len = if dir.is_empty() { 0 } else { dir.len() + 1 };
    let mut i = lo;
    while i < hi {
        let rest = idx.entries[i].path.get(prefix_len..)?;
        match rest.split_once('/') {
            None => {
                let e = &idx.entries[i];
                // Submodules and symlinks carry no text to scan.
                if e.mode != 0o160000 && e.mode != 0o120000 {
                    let head = tree.and_then(|t| t.get_name(rest));
                    let same = head
                        .as_ref()
                        .is_some_and(|h| h.id().as_bytes() == e.oid.as_slice());
                    if !same {
                        out.push((
                            i,
                            head.filter(|h| h.kind() == Some(ObjectType::Blob))
                                .map(|h| h.id()),
                        ));
                    }
                }
                i += 1;
            }
            Some((sub, _)) => {
                let sub_prefix = format!("{}{sub}/", &idx.entries[i].path[..prefix_len]);
                let mut j = i;
                while j < hi && idx.entries[j].path.starts_with(&sub_prefix) {
                    j += 1;
                }
                let subtree = tree
                    .and_then(|t| t.get_name(sub))
                    .filter(|e| e.kind() == Some(ObjectType::Tree))
                    .and_then(|e| repo.find_tree(e.id()).ok());
                compare(
                    repo,
                    idx,
                    &sub_prefix[..sub_prefix.len() - 1],
                    subtree.as_ref(),
                    i,
                    j,
                    out,
                )?;
                i = j;
            }
        }
    }
    Some(())
}

/// 1-based lines of `new` whose text is not a line of `old` (every line for a new
/// file). Not a minimal diff: a line moved within the file is not new — for a
/// pre-commit check that is the point — and it needs no libgit2 patch, whose
/// diff-driver lookup loads the whole index again.
fn added_lines(repo: &Repository, old: Option<Oid>, new: Oid) -> Option<Vec<u32>> {
    let new_blob = repo.find_blob(new).ok()?;
    let mut before: HashMap<&[u8], usize> = HashMap::new();
    let old_blob = match old {
        Some(o) => Some(repo.find_blob(o).ok()?),
        None => None,
    };
    if let Some(b) = &old_blob {
        for line in b.content().split(|&c| c == b'\n') {
            *before.entry(line).or_default() += 1;
        }
    }
    let content = new_blob.content();
    let mut lines = Vec::new();
    if content.is_empty() {
        return Some(lines);
    }
    // The empty piece after a final newline is not a line.
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    for (n, line) in body.split(|&c| c == b'\n').enumerate() {
        match before.get_mut(line) {
            Some(c) if *c > 0 => *c -= 1,
            _ => lines.push((n + 1) as u32),
        }
    }
    Some(lines)
}

/// What the next commit would change: every added, modified, renamed or copied file of
/// the index compared with `HEAD` (an unborn `HEAD` compares with the empty tree),
/// through libgit2's diff.
pub fn staged(repo: &Repository, path: &Path) -> Result<Vec<StagedFile>, GitError> {
    let head_tree = match repo.head() {
        Ok(h) => Some(
            h.peel_to_tree()
                .map_err(|e| read_err(path, "HEAD tree", e))?,
        ),
        Err(_) => None, // no commit yet: everything staged is new
    };
    let index = staged_index(repo).map_err(|e| read_err(path, "index", e))?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .include_untracked(false)
        .ignore_submodules(true);
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))
        .map_err(|e| read_err(path, "diff HEAD..index", e))?;
    // A renamed file keeps its history: only its changed lines are new.
    let _ = diff.find_similar(None);
    let mut files: Vec<StagedFile> = Vec::new();
    let mut by_path: HashMap<String, usize> = HashMap::new();
    for delta in diff.deltas() {
        let changed = matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        );
        let new = delta.new_file();
        if !changed || new.mode() == git2::FileMode::Link || new.mode() == git2::FileMode::Commit {
            continue;
        }
        if let Some(p) = new.path() {
            let p = p.to_string_lossy().replace('\\', "/");
            by_path.insert(p.clone(), files.len());
            files.push(StagedFile {
                path: p,
                oid: new.id(),
                added_lines: Vec::new(),
            });
        }
    }
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _hunk, line| {
            if line.origin() == '+' {
                if let (Some(p), Some(n)) = (delta.new_file().path(), line.new_lineno()) {
                    let p = p.to_string_lossy().replace('\\', "/");
                    if let Some(&i) = by_path.get(&p) {
                        files[i].added_lines.push(n);
                    }
                }
            }
            true
        }),
    )
    .map_err(|e| read_err(path, "diff lines", e))?;
    for f in &mut files {
        f.added_lines.sort_unstable();
        f.added_lines.dedup();
    }
    Ok(files)
}

/// The index the next commit is made from. `git commit -a` and `git commit <path>`
/// build a temporary index and name it in `GIT_INDEX_FILE` for the hook; reading
/// `.git/index` there would let their changes through unscanned.
pub fn staged_index(repo: &Repository) -> Result<git2::Index, git2::Error> {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(p) if !p.is_empty() => {
            let p = Path::new(&p);
            // Git passes it relative to the work tree's top level.
            let p = match (p.is_relative(), repo.workdir()) {
                (true, Some(w)) => w.join(p),
                _ => p.to_path_buf(),
            };
            git2::Index::open(&p)
        }
        _ => repo.index(),
    }
}

/// Every blob of the tree of `rev` (default `HEAD`), with its path, in tree order.
pub fn tree_blobs(
    repo: &Repository,
    path: &Path,
    rev: Option<&str>,
) -> Result<Vec<(String, Oid)>, GitError> {
    let id = rev_id(repo, path, rev)?;
    tree_blobs_at(repo, path, id, rev.unwrap_or("HEAD"))
}

/// The object `rev` (default `HEAD`) names. For `HEAD` no object is read (only refs):
/// the key under which `--cache` keeps a tree's listing.
pub fn rev_id(repo: &Repository, path: &Path, rev: Option<&str>) -> Result<Oid, GitError> {
    match rev {
        Some(r) => repo
            .revparse_single(r)
            .map(|o| o.id())
            .map_err(|e| read_err(path, &format!("tree of {r}"), e)),
        None => repo
            .refname_to_id("HEAD")
            .map_err(|e| read_err(path, "HEAD", e)),
    }
}

/// [`tree_blobs`] of the commit, tag or tree `id` (named `rev` in errors).
pub fn tree_blobs_at(
    repo: &Repository,
    path: &Path,
    id: Oid,
    rev: &str,
) -> Result<Vec<(String, Oid)>, GitError> {
    let tree = repo
        .find_object(id, None)
        .and_then(|o| o.peel_to_tree())
        .map_err(|e| read_err(path, &format!("tree of {rev}"), e))?;
    let mut out = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) && entry.filemode() != 0o120000 {
            if let Some(name) = entry.name() {
                out.push((format!("{dir}{name}"), entry.id()));
            }
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| read_err(path, "walking the tree", e))?;
    Ok(out)
}

/// Where a blob first appeared in history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduced {
    /// The first commit (oldest first) that added this blob at some path.
    pub commit: String,
    /// The path it had there.
    pub path: String,
    /// Author date of that commit, `YYYY-MM-DD` (UTC).
    pub date: String,
}

/// Bounds of a history walk.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// Walk only these refs or revisions (default: every ref, and `HEAD`).
    pub branches: Vec<String>,
    /// Stop at this revision (exclusive): commits reachable from it are not walked.
    pub since: Option<String>,
}

/// Calls `visit` once per unique blob reachable from the walked refs, oldest commit
/// first, with where it was introduced. Each blob is visited once, however many
/// commits and paths hold it.
///
/// Fails closed and goes on (issue #14): a ref that points at a missing or corrupt
/// object, a commit, tree or pack that cannot be read, is a [`GitError`] in
/// [`HistoryStats::faults`] naming the ref or object (never content), and every commit
/// that can still be reached is walked. Only what makes any walk impossible (no
/// revision walker, a `--branch` or `--since` the user named that does not resolve)
/// is an `Err`.
pub fn history(
    repo: &Repository,
    path: &Path,
    opts: &HistoryOptions,
    mut visit: impl FnMut(Oid, &Introduced),
) -> Result<HistoryStats, GitError> {
    let mut stats = HistoryStats::default();
    let tips = if opts.branches.is_empty() {
        every_ref(repo, path, &mut stats.faults)
    } else {
        let mut tips = Vec::new();
        for b in &opts.branches {
            let oid = repo
                .revparse_single(b)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| read_err(path, &format!("revision {b}"), e))?
                .id();
            tips.push(oid);
        }
        tips
    };
    let hidden = match &opts.since {
        Some(since) => Some(
            repo.revparse_single(since)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| read_err(path, &format!("revision {since}"), e))?
                .id(),
        ),
        None => None,
    };
    let order = match revwalk(repo, &tips, hidden) {
        Ok(order) => order,
        // libgit2 gives up on the whole walk at the first commit it cannot read: walk
        // again by hand around what is missing, each missing commit a fault.
        Err(_) => tolerant_walk(repo, path, &tips, hidden, &mut stats.faults),
    };
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    for oid in order {
        let Some(commit) = note(
            &mut stats.faults,
            repo.find_commit(oid)
                .map_err(|e| read_err(path, &format!("commit {oid}"), e)),
        ) else {
            continue;
        };
        stats.commits += 1;
        let Some(tree) = note(
            &mut stats.faults,
            commit
                .tree()
                .map_err(|e| read_err(path, &format!("tree of {oid}"), e)),
        ) else {
            continue;
        };
        let date = crate::model::time::date_of(commit.author().when().seconds());
        // Without `--since`, every commit's parents were walked before it: a tree seen
        // before holds only blobs seen before, so only new trees are read — no diff
        // (ripgrep's 4,500 commits: the walk was a third of `--history`).
        if hidden.is_none() {
            let mut found = |blob: Oid, p: String| {
                stats.blobs += 1;
                visit(
                    blob,
                    &Introduced {
                        commit: oid.to_string(),
                        path: p,
                        date: date.clone(),
                    },
                );
            };
            let walked = NewTrees {
                repo,
                path,
                trees: &mut seen_trees,
                blobs: &mut seen,
                faults: &mut stats.faults,
            };
            walked.walk(&tree, &mut found);
            continue;
        }
        // A first parent that cannot be read (or its tree) is a fault; the commit is
        // then compared with the empty tree, so what it holds is still read.
        let parent_tree = match commit.parent_id(0) {
            Ok(p) => note(
                &mut stats.faults,
                repo.find_commit(p)
                    .and_then(|c| c.tree())
                    .map_err(|e| read_err(path, &format!("tree of {p}"), e)),
            ),
            Err(_) => None,
        };
        // Against the first parent: what this commit (a merge included) brought in.
        let mut dopts = DiffOptions::new();
        dopts.ignore_submodules(true).skip_binary_check(true);
        let Some(diff) = note(
            &mut stats.faults,
            repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut dopts))
                .map_err(|e| read_err(path, &format!("diff of {oid}"), e)),
        ) else {
            continue;
        };
        for delta in diff.deltas() {
            if !matches!(
                delta.status(),
                Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
            ) {
                continue;
            }
            let new = delta.new_file();
            if new.mode() == git2::FileMode::Link || new.mode() == git2::FileMode::Commit {
                continue;
            }
            let blob = new.id();
            if blob.is_zero() || !seen.insert(blob) {
                continue;
            }
            let Some(p) = new.path() else { continue };
            stats.blobs += 1;
            visit(
                blob,
                &Introduced {
                    commit: oid.to_string(),
                    path: p.to_string_lossy().replace('\\', "/"),
                    date: date.clone(),
                },
            );
        }
    }
    Ok(stats)
}

/// The blobs of a commit's tree that no tree read before held: subtrees already seen
/// are passed over whole. Iterative, so a hostile repository's deep nesting cannot
/// exhaust the stack; a tree that cannot be read is a fault naming its path.
struct NewTrees<'a> {
    repo: &'a Repository,
    path: &'a Path,
    trees: &'a mut HashSet<Oid>,
    blobs: &'a mut HashSet<Oid>,
    faults: &'a mut Vec<GitError>,
}

impl NewTrees<'_> {
    /// Depth first in tree order, as a diff lists paths: of two paths holding one new
    /// blob, the first in path order introduces it.
    fn walk(self, root: &git2::Tree, found: &mut impl FnMut(Oid, String)) {
        if !self.trees.insert(root.id()) {
            return;
        }
        let mut stack: Vec<(git2::Tree, usize, String)> = vec![(root.clone(), 0, String::new())];
        while let Some((tree, next, prefix)) = stack.last_mut() {
            let entry = tree.get(*next).map(|e| {
                let name = String::from_utf8_lossy(e.name_bytes()).replace('\\', "/");
                (e.id(), e.filemode(), name)
            });
            let Some((id, mode, name)) = entry else {
                stack.pop();
                continue;
            };
            *next += 1;
            let p = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            match mode {
                0o040000 => {
                    if self.trees.insert(id) {
                        match self.repo.find_tree(id) {
                            Ok(sub) => stack.push((sub, 0, p)),
                            Err(e) => {
                                let what = format!("tree {p} ({id})");
                                self.faults.push(read_err(self.path, &what, e));
                            }
                        }
                    }
                }
                // Symbolic links and submodules hold no content of this repository.
                0o120000 | 0o160000 => {}
                _ => {
                    if self.blobs.insert(id) {
                        found(id, p);
                    }
                }
            }
        }
    }
}

/// `Some(value)`, or `None` with the error kept as a fault.
fn note<T>(faults: &mut Vec<GitError>, r: Result<T, GitError>) -> Option<T> {
    r.map_err(|e| faults.push(e)).ok()
}

/// The commits of every ref (branches, tags, remotes, notes) and of `HEAD`, each once,
/// in ref order. A ref whose object is missing or unreadable is a fault naming the ref;
/// a ref to something that is not a commit (a tag of a tree or blob) or a symbolic ref
/// to a ref that does not exist (a stale `origin/HEAD`) is passed over, as git does.
fn every_ref(repo: &Repository, path: &Path, faults: &mut Vec<GitError>) -> Vec<Oid> {
    let mut tips = Vec::new();
    let mut pushed: HashSet<Oid> = HashSet::new();
    let mut add = |name: &str, target: Option<Oid>, faults: &mut Vec<GitError>| {
        let Some(oid) = target else { return };
        let peeled = repo.find_object(oid, None).and_then(|o| o.peel_to_commit());
        match peeled {
            Ok(c) => {
                if pushed.insert(c.id()) {
                    tips.push(c.id());
                }
            }
            Err(e)
                if e.code() == git2::ErrorCode::InvalidSpec
                    || e.code() == git2::ErrorCode::Peel => {}
            Err(e) => faults.push(read_err(path, &format!("ref {name} ({oid})"), e)),
        }
    };
    match repo.references() {
        Ok(refs) => {
            for r in refs {
                match r {
                    Ok(r) => {
                        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
                        let target = match r.resolve() {
                            Ok(resolved) => resolved.target(),
                            Err(_) => None,
                        };
                        add(&name, target, faults);
                    }
                    Err(e) => faults.push(read_err(path, "refs", e)),
                }
            }
        }
        Err(e) => faults.push(read_err(path, "refs", e)),
    }
    // HEAD when detached; on a branch it is that branch (walked above), and unborn
    // (no commit yet) it names nothing.
    if let Ok(true) = repo.head_detached() {
        if let Ok(head) = repo.find_reference("HEAD") {
            add("HEAD", head.target(), faults);
        }
    }
    tips
}

/// Every commit reachable from `tips` and not from `hidden`, oldest first, through
/// libgit2's walker; `Err` at the first commit it cannot read.
fn revwalk(repo: &Repository, tips: &[Oid], hidden: Option<Oid>) -> Result<Vec<Oid>, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    for &t in tips {
        walk.push(t)?;
    }
    if let Some(h) = hidden {
        walk.hide(h)?;
    }
    walk.collect()
}

/// [`revwalk`] by hand, for a history with holes: every readable commit reachable from
/// `tips` (parents before children, each once), past none that cannot be read — each
/// of those a fault naming it. Commits reachable from `hidden` are left out.
fn tolerant_walk(
    repo: &Repository,
    path: &Path,
    tips: &[Oid],
    hidden: Option<Oid>,
    faults: &mut Vec<GitError>,
) -> Vec<Oid> {
    let mut missing: HashSet<Oid> = HashSet::new();
    let mut parents_of = |oid: Oid, faults: &mut Vec<GitError>| -> Option<Vec<Oid>> {
        match repo.find_commit(oid) {
            Ok(c) => Some(c.parent_ids().collect()),
            Err(e) => {
                if missing.insert(oid) {
                    faults.push(read_err(path, &format!("commit {oid}"), e));
                }
                None
            }
        }
    };
    // What `--since` hides: everything reachable from it that can be read.
    let mut hide: HashSet<Oid> = HashSet::new();
    let mut stack: Vec<Oid> = hidden.into_iter().collect();
    while let Some(oid) = stack.pop() {
        if hide.insert(oid) {
            stack.extend(parents_of(oid, faults).unwrap_or_default());
        }
    }
    // Depth-first, each commit emitted after its parents: a topological order, the
    // same on every run for the same refs.
    let mut order = Vec::new();
    let mut done: HashSet<Oid> = hide;
    for &tip in tips {
        // (commit, its parents once read, next parent to visit)
        let mut stack: Vec<(Oid, Option<Vec<Oid>>, usize)> = vec![(tip, None, 0)];
        while let Some((oid, parents, next)) = stack.last_mut() {
            if parents.is_none() {
                if done.contains(oid) {
                    stack.pop();
                    continue;
                }
                match parents_of(*oid, faults) {
                    Some(p) => *parents = Some(p),
                    None => {
                        done.insert(*oid);
                        stack.pop();
                        continue;
                    }
                }
            }
            let ps = parents.as_ref().expect("read just above");
            if let Some(&p) = ps.get(*next) {
                *next += 1;
                if !done.contains(&p) {
                    stack.push((p, None, 0));
                }
            } else {
                let oid = *oid;
                done.insert(oid);
                order.push(oid);
                stack.pop();
            }
        }
    }
    order
}

/// Counts of a history walk, and what could not be read.
#[derive(Debug, Default)]
pub struct HistoryStats {
    /// Commits walked.
    pub commits: u64,
    /// Unique blobs visited.
    pub blobs: u64,
    /// Refs, commits, trees and packs that could not be read, each naming what; the
    /// walk went on around them.
    pub faults: Vec<GitError>,
}

/// Reads a blob's bytes if it is at most `max` bytes; `Ok(None)` when larger (the size
/// comes from the object header, so an oversized blob is never inflated).
pub fn read_blob(
    repo: &Repository,
    path: &Path,
    oid: Oid,
    max: u64,
) -> Result<Option<Vec<u8>>, GitError> {
    let odb = repo
        .odb()
        .map_err(|e| read_err(path, "object database", e))?;
    let (size, kind) = odb
        .read_header(oid)
        .map_err(|e| read_err(path, &format!("object {oid}"), e))?;
    if kind != ObjectType::Blob {
        return Ok(None);
    }
    if size as u64 > max {
        return Ok(None);
    }
    let obj = odb
        .read(oid)
        .map_err(|e| read_err(path, &format!("object {oid}"), e))?;
    Ok(Some(obj.data().to_vec()))
}
