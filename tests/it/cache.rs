//! `scan --cache DIR` (issue #7): a rescan of an unchanged organisation reads nothing it
//! already classified, and still writes the very bytes an uncached scan writes.
//!
//! "Not read" is checked through `ScanStats::cache` (hits: not opened; verified: read,
//! content unchanged, not classified again; misses: read and classified), which an
//! in-process scan returns. chmod 000 would prove nothing here: tests may run as root.
//! Every tree is aged an hour first, except where the racy rule itself is tested: a
//! file modified within `cache::RACY_WINDOW` of a scan is never trusted by its stat.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use aiscout::inventory::Inventory;
use aiscout::model::ScanStats;
use aiscout::model::SkipReason;
use git2::Repository;

use crate::common::{commit, fake_key, Scan};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Sets the mtime of every file below `root` (`.git` aside) to `ago` before now.
fn age(root: &Path, ago: Duration) {
    let when = SystemTime::now() - ago;
    for e in fs::read_dir(root).unwrap() {
        let e = e.unwrap();
        if e.file_name() == ".git" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            age(&e.path(), ago);
        } else if e.file_type().unwrap().is_file() {
            let f = fs::File::options().write(true).open(e.path()).unwrap();
            f.set_modified(when).unwrap();
        }
    }
}

/// Sets the mtime of one file to `ago` before now (its ctime changes too).
fn set_mtime(file: &Path, ago: Duration) {
    fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(SystemTime::now() - ago)
        .unwrap();
}

const HOUR: Duration = Duration::from_secs(3600);

/// An organisation folder: every fixture of `test-repos/` (every detector, skips
/// included), every fourth turned into a git repository (each its own cache file),
/// plus a binary file and a UTF-16 file, all aged an hour.
fn org(t: &Path) -> PathBuf {
    let org = t.join("org");
    let mut names: Vec<PathBuf> = fs::read_dir("test-repos")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for (i, src) in names.iter().enumerate() {
        let dest = org.join(src.file_name().unwrap());
        copy_dir(src, &dest);
        if i % 4 == 0 {
            Repository::init(&dest).unwrap();
        }
    }
    fs::write(org.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "OPENAI_API_KEY=\nimport anthropic\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    fs::write(org.join(".env"), utf16).unwrap();
    age(&org, HOUR);
    org
}

/// The cache files a scan of `org` makes: one per git repository, one for the rest.
fn tables(org: &Path) -> u64 {
    let repos = fs::read_dir(org)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join(".git").is_dir())
        .count();
    assert!(repos >= 2);
    repos as u64 + 1
}

fn scan(s: Scan) -> (String, ScanStats) {
    let inv: Inventory = s.run();
    (common::json(&inv), inv.stats)
}

/// What an uncached scan of the same input reads: files classified, and binaries.
fn readable(s: &ScanStats) -> u64 {
    s.files_scanned + s.skipped.get(&SkipReason::Binary).copied().unwrap_or(0)
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "CACHEDIR.TAG")
        .collect();
    v.sort();
    v
}

#[test]
fn a_second_scan_reads_nothing_and_writes_the_same_inventory() {
    let t = tempfile::tempdir().unwrap();
    let org = org(t.path());
    let o = org.to_str().unwrap();
    let cache = t.path().join("cache/not/yet/made");
    let c = cache.to_str().unwrap();
    let (plain, plain_stats) = scan(Scan::of(&[o]));
    assert_eq!(plain_stats.skipped.get(&SkipReason::Binary), Some(&1));
    let utf16_read = common::scan(&[o])
        .all_units()
        .flat_map(|u| &u.evidence)
        .any(|e| e.path == ".env");
    assert!(
        utf16_read,
        "the UTF-16 file is read (and so must be cached)"
    );

    let (first, s1) = scan(Scan::of(&[o]).cache(c));
    assert_eq!(first, plain, "a cold cache changes nothing");
    assert_eq!(
        (s1.cache.hits, s1.cache.misses),
        (0, readable(&plain_stats))
    );
    assert_eq!(s1.cache.files_written, tables(&org));

    for threads in [1, 4] {
        let (again, mut s2) = scan(Scan::of(&[o]).cache(c).threads(threads));
        assert_eq!(again, plain, "{threads}");
        assert_eq!(
            s2.cache.hits,
            readable(&plain_stats),
            "{threads}: nothing read"
        );
        assert_eq!((s2.cache.verified, s2.cache.misses), (0, 0));
        assert_eq!(s2.cache.hit_bytes, dir_bytes(&org), "{threads}");
        assert_eq!(s2.cache.files_loaded, tables(&org), "{threads}");
        assert_eq!(s2.cache.files_written, 0, "{threads}: nothing changed");
        s2.cache = Default::default();
        assert_eq!(
            s2, plain_stats,
            "{threads}: the same stats, cache counts aside"
        );
    }
}

/// Bytes of the regular files below `root` outside `.git`.
fn dir_bytes(root: &Path) -> u64 {
    let mut n = 0;
    for e in fs::read_dir(root).unwrap() {
        let e = e.unwrap();
        let ft = e.file_type().unwrap();
        if e.file_name() == ".git" {
            continue;
        }
        if ft.is_dir() {
            n += dir_bytes(&e.path());
        } else if ft.is_file() {
            n += e.metadata().unwrap().len();
        }
    }
    n
}

#[test]
fn a_touched_file_is_read_again_and_a_changed_one_classified_again() {
    let t = tempfile::tempdir().unwrap();
    let org = org(t.path());
    let o = org.to_str().unwrap();
    let c = t.path().join("cache");
    let c = c.to_str().unwrap();
    let (_, s0) = scan(Scan::of(&[o]).cache(c));
    let all = readable(&s0);

    // Touched: new mtime, same content. Read again, not classified again.
    let touched = org.join("no-ai-webapp/roombook/views.py");
    assert!(touched.is_file());
    set_mtime(&touched, 2 * HOUR);
    let (json, s) = scan(Scan::of(&[o]).cache(c));
    assert_eq!(
        (s.cache.hits, s.cache.verified, s.cache.misses),
        (all - 1, 1, 0)
    );
    assert_eq!(json, scan(Scan::of(&[o])).0);

    // Changed: a new import appears, and only that file was read.
    let before = fs::read_to_string(&touched).unwrap();
    assert!(!json.contains("roombook/views.py"), "no finding there yet");
    fs::write(&touched, format!("{before}\nimport anthropic\n")).unwrap();
    set_mtime(&touched, HOUR);
    let (json, s) = scan(Scan::of(&[o]).cache(c));
    assert_eq!(
        (s.cache.hits, s.cache.verified, s.cache.misses),
        (all - 1, 0, 1)
    );
    assert!(
        json.contains("roombook/views.py"),
        "the new finding is reported"
    );
    assert_eq!(json, scan(Scan::of(&[o])).0);

    // Deleted: its entry is dropped, the rest still served.
    fs::remove_file(&touched).unwrap();
    let (json, s) = scan(Scan::of(&[o]).cache(c));
    assert_eq!((s.cache.hits, s.cache.misses), (all - 1, 0));
    assert_eq!(json, scan(Scan::of(&[o])).0);
}

/// Git's racy-clean rule: a file modified within `RACY_WINDOW` of the scan that
/// recorded it may change again within the same timestamp tick, unseen by its stat.
/// Its entry is trusted only through its content hash, until it is old enough.
#[test]
fn a_file_modified_just_before_the_scan_is_verified_by_its_content() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    fs::create_dir(&repo).unwrap();
    fs::write(repo.join("old.py"), "import openai\n").unwrap();
    age(&repo, HOUR);
    fs::write(repo.join("new.py"), "import cohere\n").unwrap();
    let r = repo.to_str().unwrap();
    let c = t.path().join("cache");
    let c = c.to_str().unwrap();
    // Recorded at once: well within the window, however slow the machine.
    let (_, s) = scan(Scan::of(&[r]).cache(c));
    assert_eq!((s.cache.hits, s.cache.verified, s.cache.misses), (0, 0, 2));
    let (json, s) = scan(Scan::of(&[r]).cache(c));
    let (plain, _) = scan(Scan::of(&[r]));
    assert_eq!(json, plain);
    assert_eq!((s.cache.hits, s.cache.verified, s.cache.misses), (1, 1, 0));
    // Old enough now (its stat changes with it): verified once more, then trusted.
    set_mtime(&repo.join("new.py"), HOUR);
    let (_, s) = scan(Scan::of(&[r]).cache(c));
    assert_eq!((s.cache.hits, s.cache.verified, s.cache.misses), (1, 1, 0));
    let (json, s) = scan(Scan::of(&[r]).cache(c));
    assert_eq!(json, plain);
    assert_eq!((s.cache.hits, s.cache.verified, s.cache.misses), (2, 0, 0));
}

#[test]
fn other_rules_or_another_version_invalidate_every_entry() {
    let t = tempfile::tempdir().unwrap();
    let org = org(t.path());
    let o = org.to_str().unwrap();
    let cache = t.path().join("cache");
    let c = cache.to_str().unwrap();
    let (_, s0) = scan(Scan::of(&[o]).cache(c));
    let files = cache_files(&cache).len() as u64;
    assert_eq!(files, tables(&org));

    // A rule pack of our own: the compiled rules change, so does every outcome.
    let rules = t.path().join("rules");
    fs::create_dir(&rules).unwrap();
    fs::write(
        rules.join("acme.yaml"),
        r##"rules:
  - id: provider.acme.python
    name: Acme LLM (Python)
    kind: provider
    identifies: acme
    keywords: [acme_llm]
    match:
      imports:
        python: [acme_llm]
    description: The Acme LLM client, imported.
    references: [https://example.com/acme]
    examples: [{path: a.py, text: "import acme_llm\n"}]
    negative_examples:
      # prose, not an import
      - {path: a.py, text: "# acme_llm is great\n"}
"##,
    )
    .unwrap();
    fs::write(org.join("no-ai-webapp/acme.py"), "import acme_llm\n").unwrap();
    set_mtime(&org.join("no-ai-webapp/acme.py"), HOUR);
    let r = rules.to_str().unwrap();
    let (json, s) = scan(Scan::of(&[o]).cache(c).rules(r));
    assert_eq!(json, scan(Scan::of(&[o]).rules(r)).0);
    assert!(json.contains("\"acme\""));
    assert_eq!((s.cache.hits, s.cache.misses), (0, readable(&s0) + 1));
    assert_eq!(s.cache.files_invalidated, files);

    // Another version (or options): its entries are refused even when they name
    // this very file with its current stat. Poisoned entries prove it.
    let app = org.join("no-ai-webapp/acme.py");
    let stamp = aiscout::cache::Stamp::of(&fs::metadata(&app).unwrap());
    let other = aiscout::cache::Cache::open(&cache, "aiscout 0.0.0; rules x; opts").unwrap();
    let mut table = other.table(&org, aiscout::cache::Source::Files);
    let lie = aiscout::cache::CachedOutcome {
        scanned: 16,
        prefilter_hit: true,
        ..Default::default()
    };
    table.record_file("no-ai-webapp/acme.py", stamp, [0; 16], lie, i64::MAX);
    other.save(&table);
    let (json, s) = scan(Scan::of(&[o]).cache(c).rules(r));
    assert_eq!(json, scan(Scan::of(&[o]).rules(r)).0);
    assert!(json.contains("\"acme\""));
    assert_eq!(s.cache.files_invalidated, 1, "the org folder's file");
    assert!(s.cache.misses > 0 && s.cache.hits > 0);
}

#[test]
fn corrupt_cache_files_are_ignored_and_rebuilt() {
    let t = tempfile::tempdir().unwrap();
    let org = org(t.path());
    let o = org.to_str().unwrap();
    let cache = t.path().join("cache");
    let c = cache.to_str().unwrap();
    let (plain, plain_stats) = scan(Scan::of(&[o]));
    scan(Scan::of(&[o]).cache(c));
    let files = cache_files(&cache);
    let n = tables(&org);
    assert_eq!(files.len() as u64, n);
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 5] = [
        ("truncated", |d| d.truncate(d.len() / 2)),
        ("empty", |d| d.clear()),
        ("garbage", |d| {
            d.iter_mut().for_each(|b| *b = b.wrapping_mul(31) ^ 0x5a)
        }),
        ("one byte flipped", |d| {
            let mid = d.len() / 2;
            d[mid] ^= 1;
        }),
        ("checksum cut off", |d| d.truncate(d.len() - 32)),
    ];
    for (what, damage) in damages {
        for f in &files {
            let mut data = fs::read(f).unwrap();
            damage(&mut data);
            fs::write(f, data).unwrap();
        }
        let (json, s) = scan(Scan::of(&[o]).cache(c));
        assert_eq!(json, plain, "{what}");
        assert_eq!(s.cache.hits, 0, "{what}: nothing trusted");
        assert_eq!(s.cache.files_corrupt, n, "{what}");
        assert_eq!(s.cache.files_written, n, "{what}: rebuilt");
        let (json, s) = scan(Scan::of(&[o]).cache(c));
        assert_eq!(json, plain, "{what}");
        assert_eq!(
            s.cache.hits,
            readable(&plain_stats),
            "{what}: rebuilt in full"
        );
    }
    // Through the binary: a warning, exit 0, the same report.
    // This format's header, then garbage.
    let mut head = b"AISCOUTC".to_vec();
    head.extend_from_slice(&aiscout::cache::FORMAT.to_le_bytes());
    head.extend_from_slice(b"garbage");
    for f in &files {
        fs::write(f, &head).unwrap();
    }
    // Trusted, as the library scan it is compared with (a folder of repositories is
    // untrusted by default).
    let out = common::run(
        &["scan", o, "--cache", c, "-f", "json", "--trust-repo-config"],
        t.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("{n} corrupt cache files ignored and rebuilt")),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), plain);
}

/// A bare mirror is read through git at HEAD: each blob is cached by its id, and a
/// rescan after a push reads only the blobs the push brought. The same for
/// `--history`, whose blobs have their own cache file.
#[test]
fn bare_mirror_blobs_are_cached_by_blob_id() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("work");
    let repo = Repository::init(&work).unwrap();
    let key = fake_key();
    commit(
        &repo,
        &[
            ("app.py", Some("from anthropic import Anthropic\n")),
            ("requirements.txt", Some("anthropic\nlangchain\n")),
            ("docs/README.md", Some("A bot.\n")),
            ("logo.png", Some("\u{0}\u{1}binary")),
        ],
        "init",
        1_700_000_000,
    );
    commit(
        &repo,
        &[("k.py", Some(&format!("K = \"{key}\"\n")))],
        "key",
        1_700_000_100,
    );
    commit(&repo, &[("k.py", None)], "rm", 1_700_000_200);
    let org = t.path().join("org");
    fs::create_dir(&org).unwrap();
    let mirror = org.join("bot.git");
    common::mirror(&work, &mirror);
    let o = org.to_str().unwrap();
    let m = mirror.to_str().unwrap();
    let c = t.path().join("cache");
    let c = c.to_str().unwrap();
    for (path, history) in [(o, false), (m, false), (m, true)] {
        let of = || {
            let s = Scan::of(&[path]);
            if history {
                s.history()
            } else {
                s
            }
        };
        let (plain, plain_stats) = scan(of());
        let (first, _) = scan(of().cache(c));
        assert_eq!(first, plain, "{path} {history}");
        let (again, s) = scan(of().cache(c));
        assert_eq!(again, plain, "{path} {history}");
        assert_eq!((s.cache.misses, s.cache.verified), (0, 0), "{path}");
        assert!(s.cache.hits >= readable(&plain_stats), "{path} {history}");
        if history {
            assert!(again.contains(&key[..8]), "the removed key, from history");
        }
    }

    // A push to the mirror: only the new blob is read.
    commit(
        &repo,
        &[("agent.py", Some("import openai\n"))],
        "agent",
        1_700_000_300,
    );
    let mirror_repo = Repository::open_bare(&mirror).unwrap();
    mirror_repo
        .find_remote("origin")
        .unwrap()
        .fetch(&["+refs/heads/*:refs/heads/*"], None, None)
        .unwrap();
    let (plain, plain_stats) = scan(Scan::of(&[o]));
    let (json, s) = scan(Scan::of(&[o]).cache(c));
    assert_eq!(json, plain);
    assert!(json.contains("\"openai\""));
    assert_eq!(s.cache.misses, 1, "agent.py alone");
    assert_eq!(s.cache.hits, readable(&plain_stats) - 1);
}

#[test]
fn staged_blobs_are_cached_by_blob_id() {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    commit(
        &repo,
        &[("a.py", Some("print(1)\n"))],
        "init",
        1_700_000_000,
    );
    fs::write(t.path().join("b.py"), "import openai\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("b.py")).unwrap();
    index.write().unwrap();
    let d = t.path().to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let (plain, _) = scan(Scan::of(&[d]).staged());
    let (_, s) = scan(Scan::of(&[d]).staged().cache(c));
    assert_eq!(s.cache.misses, 1);
    let (json, s) = scan(Scan::of(&[d]).staged().cache(c));
    assert_eq!(json, plain);
    assert_eq!((s.cache.hits, s.cache.misses), (1, 0));
}

#[test]
fn a_cache_inside_the_scanned_tree_is_not_scanned() {
    let t = tempfile::tempdir().unwrap();
    let org = org(t.path());
    let o = org.to_str().unwrap();
    let (plain, plain_stats) = scan(Scan::of(&[o]));
    // Inside the org folder, and inside one of its repositories; named so that no
    // ignore rule would hide it.
    for inside in ["scan-cache", "python-openai-chatbot/cache"] {
        let cache = org.join(inside);
        let c = cache.to_str().unwrap();
        let (first, s1) = scan(Scan::of(&[o]).cache(c));
        assert_eq!(cache_files(&cache).len() as u64, tables(&org), "{inside}");
        let (again, s2) = scan(Scan::of(&[o]).cache(c));
        assert_eq!(first, plain, "{inside}");
        assert_eq!(again, plain, "{inside}");
        assert_eq!(s1.files_seen, plain_stats.files_seen, "{inside}");
        assert_eq!(s2.files_seen, plain_stats.files_seen, "{inside}");
        assert_eq!(s2.cache.misses, 0, "{inside}");
        fs::remove_dir_all(&cache).unwrap();
    }
}

/// The cache keeps what the detectors output (evidence, redacted at birth) and never
/// the contents: neither a planted key nor a line without a finding reaches it.
#[test]
fn the_cache_holds_neither_keys_nor_file_contents() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    fs::create_dir(&repo).unwrap();
    let key = fake_key();
    let marker = "a line no rule reads: zqxj-7341-marker";
    fs::write(
        repo.join("settings.py"),
        format!("import openai\n# {marker}\nOPENAI_API_KEY = \"{key}\"\n"),
    )
    .unwrap();
    fs::write(repo.join("notes.txt"), format!("{marker}\n")).unwrap();
    age(&repo, HOUR);
    let cache = t.path().join("cache");
    let (json, s) = scan(Scan::of(&[repo.to_str().unwrap()]).cache(cache.to_str().unwrap()));
    assert_eq!(s.cache.misses, 2);
    assert!(json.contains("\"secret\""), "the key is found: {json}");
    let files = cache_files(&cache);
    assert_eq!(files.len(), 1);
    let data = fs::read(&files[0]).unwrap();
    let holds = |needle: &[u8]| data.windows(needle.len()).any(|w| w == needle);
    assert!(!holds(key.as_bytes()), "the key");
    assert!(!holds(&key.as_bytes()[8..40]), "a part of the key");
    assert!(!holds(marker.as_bytes()), "a line of a file");
    assert!(holds(b"openai"), "the evidence is there");
}
