//! The cache tables of one walked root: one per repository found in it, loaded at its
//! first file and written back when no longer in use, so memory follows the
//! repositories being walked, not all of them.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Cache, CachedOutcome, RepoCache, Source, Stamp};

/// The working-tree tables of one scan root, shared by the walk's threads. A
/// repository's table is loaded at its first file and written back when it has not
/// been used for the longest time among more than `capacity` open ones, or at
/// [`WorkTreeCaches::finish`]: memory holds the repositories being walked, not all of them.
///
/// The walk gives no signal when a repository is done, but each thread walks depth
/// first, so a repository's files come together and one left unused for `capacity`
/// loads of others is done. If one is written back while files of it are still to
/// come anyway, those files are read again and the table reloaded: slower, never
/// wrong. The root's own table (files outside any nested repository) stays open.
#[derive(Debug)]
pub struct WorkTreeCaches<'c> {
    cache: &'c Cache,
    root: PathBuf,
    capacity: usize,
    open: Mutex<Open>,
}

/// A table, `None` while it is being loaded.
type Slot = Arc<Mutex<Option<RepoCache>>>;

#[derive(Debug, Default)]
struct Open {
    /// Repository (root-relative) → its table and when it was last used.
    tables: BTreeMap<String, (Slot, u64)>,
    clock: u64,
    /// Repositories written back in this run (their tables hold only seen entries).
    evicted: HashSet<String>,
}

impl<'c> WorkTreeCaches<'c> {
    /// The tables of the repositories below `root`; at most `capacity` (at least 1)
    /// in memory at once.
    pub fn new(cache: &'c Cache, root: &Path, capacity: usize) -> Self {
        WorkTreeCaches {
            cache,
            root: root.to_path_buf(),
            capacity: capacity.max(1),
            open: Mutex::new(Open::default()),
        }
    }

    /// The cache these tables belong to.
    pub fn cache(&self) -> &'c Cache {
        self.cache
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // A poisoned lock means a walker thread panicked; the map is still consistent.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The table of the repository at `repo` (root-relative), loading it if needed.
    /// A table is loaded once, outside the map's lock: a thread that wants it meanwhile
    /// waits on the table's own lock, the others go on.
    fn get(&self, repo: &str) -> Slot {
        let slot: Slot;
        let (mut loading, evicted, victim) = {
            let mut open = self.lock();
            open.clock += 1;
            let now = open.clock;
            if let Some((t, used)) = open.tables.get_mut(repo) {
                *used = now;
                return Arc::clone(t);
            }
            slot = Arc::new(Mutex::new(None));
            // Locked before anyone else can see it, so they wait for the load.
            let loading = slot.lock().unwrap_or_else(|e| e.into_inner());
            open.tables
                .insert(repo.to_string(), (Arc::clone(&slot), now));
            let mut victim = None;
            if open.tables.len() > self.capacity {
                // The root's own table is never written back early: files of plain
                // folders anywhere below the root belong to it, all walk long.
                let oldest = open
                    .tables
                    .iter()
                    .filter(|(k, _)| !k.is_empty())
                    .min_by_key(|(_, (_, used))| *used)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    victim = open.tables.remove(&k);
                    open.evicted.insert(k);
                }
            }
            (loading, open.evicted.contains(repo), victim)
        };
        let mut table = self.cache.table(&self.root.join(repo), Source::Files);
        if evicted {
            table.see_all();
        }
        *loading = Some(table);
        drop(loading);
        if let Some((t, _)) = victim {
            if let Some(t) = t.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                self.cache.save(t);
            }
        }
        slot
    }

    fn with<R: Default>(&self, repo: &str, f: impl FnOnce(&mut RepoCache) -> R) -> R {
        let slot = self.get(repo);
        let mut t = slot.lock().unwrap_or_else(|e| e.into_inner());
        // `None` only if the thread loading it panicked: then there is no cache here.
        t.as_mut().map(f).unwrap_or_default()
    }

    /// [`RepoCache::file_hit`] in the table of `repo`.
    pub fn file_hit(&self, repo: &str, path: &str, stamp: &Stamp) -> Option<CachedOutcome> {
        self.with(repo, |t| t.file_hit(path, stamp))
    }

    /// [`RepoCache::file_unchanged`] in the table of `repo`.
    pub fn file_unchanged(
        &self,
        repo: &str,
        path: &str,
        content: &[u8; 16],
    ) -> Option<CachedOutcome> {
        self.with(repo, |t| t.file_unchanged(path, content))
    }

    /// [`RepoCache::record_file`] in the table of `repo`.
    pub fn record_file(
        &self,
        repo: &str,
        path: &str,
        stamp: Stamp,
        content: [u8; 16],
        stored: CachedOutcome,
    ) {
        let racy_after = self.cache.racy_after;
        self.with(repo, |t| {
            t.record_file(path, stamp, content, stored, racy_after)
        });
    }

    /// Writes back every table still open. Call after the walk.
    pub fn finish(self) {
        let open = self.open.into_inner().unwrap_or_else(|e| e.into_inner());
        for (_, (t, _)) in open.tables {
            if let Some(t) = t.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                self.cache.save(t);
            }
        }
    }
}
