//! The walk: ignore rules, nested repositories and their identities, and every kind
//! of file that is skipped — each counted by reason, none fatal.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;

use aiscout::inventory::NotAgent;
use aiscout::model::SkipReason;

fn write(root: &Path, rel: &str, text: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn scan_dir(dir: &Path, set: impl Fn(Scan) -> Scan) -> aiscout::inventory::Inventory {
    set(Scan::of(&[dir.to_str().unwrap()])).run()
}

fn providers(inv: &aiscout::inventory::Inventory) -> Vec<String> {
    let mut v: Vec<String> = inv.units.iter().flat_map(|u| u.providers.clone()).collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), ".gitignore", b"build/\n");
    write(t.path(), "build/gen.py", b"import anthropic\n");
    write(t.path(), "app.py", b"import openai\n");
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(providers(&inv), ["openai"]);
    let inv = scan_dir(t.path(), Scan::no_ignore);
    assert_eq!(providers(&inv), ["anthropic", "openai"]);
}

#[test]
fn hidden_files_are_scanned_but_dot_git_is_not() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), ".hidden/agent.py", b"import cohere\n");
    write(t.path(), ".git/hooks/pre-commit.py", b"import openai\n");
    let inv = scan_dir(t.path(), |s| s);
    // A hidden folder's code is found, and listed as a tool's copy, not an agent.
    assert!(inv.units.is_empty(), "{:?}", inv.units);
    let hidden: Vec<_> = inv.all_units().flat_map(|u| u.providers.clone()).collect();
    assert_eq!(hidden, ["cohere"]);
    assert_eq!(inv.not_agents[0].not_agent, Some(NotAgent::Hidden));
}

#[test]
fn binary_oversized_and_symlinked_files_are_counted_skips() {
    let t = tempfile::tempdir().unwrap();
    // A NUL early on marks it binary even though an import follows.
    write(t.path(), "blob.py", b"\0\0\0import openai\n");
    // 2 KiB of padding, then an import: over a 1K limit, never read.
    let mut big = vec![b'#'; 2048];
    big.extend_from_slice(b"\nimport anthropic\n");
    write(t.path(), "big.py", &big);
    write(t.path(), "ok.py", b"import groq\n");
    std::os::unix::fs::symlink("/etc/passwd", t.path().join("outside")).unwrap();
    std::os::unix::fs::symlink("loop", t.path().join("loop")).unwrap();
    let inv = scan_dir(t.path(), |s| s.max_file_size(1024));
    assert_eq!(providers(&inv), ["groq"]);
    let s = &inv.stats;
    assert_eq!(s.skipped.get(&SkipReason::Binary), Some(&1));
    assert_eq!(s.skipped.get(&SkipReason::TooLarge), Some(&1));
    assert_eq!(s.skipped.get(&SkipReason::Symlink), Some(&2));
    assert_eq!(s.files_seen, 5);
    assert_eq!(s.files_scanned, 1);
    assert!(s.faults.is_empty(), "{:?}", s.faults);
}

#[test]
fn a_fifo_is_a_special_skip_and_never_opened() {
    let t = tempfile::tempdir().unwrap();
    let fifo = t.path().join("pipe.py");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    write(t.path(), "ok.py", b"import groq\n");
    // Opening a FIFO would block forever: finishing at all is half the test.
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(inv.stats.skipped.get(&SkipReason::Special), Some(&1));
    assert_eq!(providers(&inv), ["groq"]);
}

#[test]
fn utf16_files_are_decoded_not_skipped() {
    let t = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "import openai\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    write(t.path(), "win.py", &bytes);
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(providers(&inv), ["openai"]);
    assert!(inv.stats.skipped.is_empty());
}

#[test]
fn malformed_manifest_is_a_counted_skip_and_siblings_still_scan() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "package.json",
        b"{\"dependencies\": {\"openai\": ",
    );
    write(t.path(), "index.js", b"const OpenAI = require('openai');\n");
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(providers(&inv), ["openai"]);
    assert_eq!(
        inv.stats.skipped.get(&SkipReason::MalformedManifest),
        Some(&1)
    );
    let d = &inv.stats.skip_details[0];
    assert!(d.path.ends_with("/package.json"), "{d:?}");
    assert!(d.message.contains("EOF"), "{d:?}");
}

#[test]
fn invalid_utf8_is_scanned_as_bytes() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "latin1.py", b"# caf\xe9\nimport mistralai\n");
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(providers(&inv), ["mistral"]);
}

#[test]
fn a_folder_of_clones_reports_each_repository_with_its_remote() {
    let t = tempfile::tempdir().unwrap();
    let a = git2::Repository::init(t.path().join("svc-a")).unwrap();
    // A token in the remote URL must never reach the inventory.
    a.remote(
        "origin",
        "https://bot:ghp_secrettoken@github.com/acme/svc-a.git",
    )
    .unwrap();
    git2::Repository::init(t.path().join("team/svc-b")).unwrap();
    write(t.path(), "svc-a/app.py", b"import openai\n");
    write(
        t.path(),
        "svc-a/pyproject.toml",
        b"[project]\nname='a'\ndependencies=['openai']\n",
    );
    write(
        t.path(),
        "team/svc-b/index.ts",
        b"import Anthropic from '@anthropic-ai/sdk';\n",
    );
    write(t.path(), "team/svc-c/readme.md", b"no ai here\n");
    let inv = scan_dir(t.path(), |s| s);
    let ids: Vec<(&str, bool, usize)> = inv
        .repositories
        .iter()
        .map(|r| (r.identity.as_str(), r.git, r.units))
        .collect();
    // The plain folder team/svc-c belongs to the non-git root, which is reported
    // because it holds a file of its own; it has no AI.
    let root = t.path().to_str().unwrap();
    assert_eq!(
        ids,
        [
            (root, false, 0),
            ("https://github.com/acme/svc-a.git", true, 1),
            ("team/svc-b", true, 1),
        ]
    );
    fs::remove_dir_all(t.path().join("team/svc-c")).unwrap();
    let inv = scan_dir(t.path(), |s| s);
    assert_eq!(
        inv.repositories.len(),
        2,
        "a folder holding only repositories is not one"
    );
    let json = common::json(&inv);
    assert!(!json.contains("ghp_secrettoken"));
    assert!(!json.contains("bot:"));
    let a_unit = &inv.units[0];
    assert_eq!(a_unit.repo, "https://github.com/acme/svc-a.git");
    assert_eq!(a_unit.path, ".");
    assert_eq!(a_unit.name, "svc-a");
    assert_eq!(a_unit.evidence[0].path, "app.py");
}

#[test]
fn unit_ids_do_not_depend_on_where_the_scan_ran() {
    let t1 = tempfile::tempdir().unwrap();
    let t2 = tempfile::tempdir().unwrap();
    for t in [&t1, &t2] {
        let r = git2::Repository::init(t.path().join("bot")).unwrap();
        r.remote("origin", "git@github.com:acme/bot.git").unwrap();
        write(t.path(), "bot/main.py", b"import openai\n");
    }
    let a = scan_dir(t1.path(), |s| s);
    let b = scan_dir(t2.path(), |s| s);
    assert_eq!(a.units[0].id, b.units[0].id);
    assert_eq!(a.units[0].repo, "git@github.com:acme/bot.git");
}

/// A Kubernetes Secret whose text names no provider still has its base64 values
/// decoded and checked: the key is found, and neither it nor its base64 is printed.
#[test]
fn a_secret_without_any_keyword_is_decoded_and_found() {
    use std::io::Write;
    let t = tempfile::tempdir().unwrap();
    let body: String = (0..148)
        .map(|i| (b'A' + (i * 7 % 26) as u8) as char)
        .collect();
    let key = format!("sk-proj-{}T3BlbkFJ{}", &body[..74], &body[74..]);
    let b64 = {
        // Minimal base64 for the test, to keep the key out of the file's plain text.
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in key.as_bytes().chunks(3) {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    };
    let mut f = fs::File::create(t.path().join("creds.yaml")).unwrap();
    write!(
        f,
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  api-key: {b64}\n"
    )
    .unwrap();
    drop(f);
    let inv = scan_dir(t.path(), |s| s);
    let json = common::json(&inv);
    let s = &inv.all_units().next().unwrap().secrets;
    assert_eq!((s.len(), s[0].line), (1, 6), "{json}");
    assert!(!json.contains(&key) && !json.contains(&b64[..40]));
}

/// issue_6: the status rule comes from `[status]` in aiscout.toml (read by the CLI, so
/// through the binary).
#[test]
fn the_status_rule_is_configurable() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "CODEOWNERS", b"* @acme/team\n");
    write(t.path(), "app.py", b"import openai\n");
    let inv = cli_scan(t.path());
    assert_eq!(inv.units[0].status.as_str(), "partial", "owner only");
    write(
        t.path(),
        "aiscout.toml",
        b"[status]\ngoverned = [\"owner\"]\n",
    );
    let inv = cli_scan(t.path());
    assert_eq!(inv.units[0].status.as_str(), "governed");
    write(
        t.path(),
        "aiscout.toml",
        b"[status]\ngoverned = [\"owner\", \"containment\"]\nshadow = [\"monitoring\"]\n",
    );
    let inv = cli_scan(t.path());
    assert_eq!(
        inv.units[0].status.as_str(),
        "shadow",
        "no monitoring is shadow under this rule"
    );
}

/// The inventory `aiscout scan DIR -f json` prints.
fn cli_scan(dir: &Path) -> aiscout::inventory::Inventory {
    let out = common::run(&["scan", dir.to_str().unwrap(), "-f", "json"], dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    aiscout::inventory::saved::from_json(&String::from_utf8(out.stdout).unwrap()).unwrap()
}

/// issue_8: a parse that runs out of budget does so at the same point on every run,
/// whatever the load and thread count, so inventories stay byte-identical.
#[test]
fn parse_budget_is_deterministic_across_threads_and_runs() {
    let t = tempfile::tempdir().unwrap();
    // Deep nesting makes tree-sitter work hard: a timeout or a slow success, but the
    // same one every time.
    let bomb = format!(
        "import openai\nx = {}1{}\n",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    write(t.path(), "bomb.py", bomb.as_bytes());
    write(t.path(), "ok.py", b"import anthropic\n");
    let runs: Vec<String> = [1, 2, 1]
        .iter()
        .map(|&j| common::json(&scan_dir(t.path(), |s| s.threads(j))))
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

/// issue_5: `--config-store FILE` reads an export whatever its name: a Consul KV
/// export saved as `.txt` still has its base64 values decoded.
#[test]
fn a_config_store_named_on_the_command_line_is_read_by_shape() {
    let t = tempfile::tempdir().unwrap();
    let export = t.path().join("consul-backup.txt");
    fs::copy(
        "test-repos/config-store-exports/consul-kv-export.json",
        &export,
    )
    .unwrap();
    let plain = common::scan(&[t.path().to_str().unwrap()]);
    assert!(
        plain.units.is_empty(),
        "a .txt file is not read as configuration"
    );
    let inv = Scan::of(&[]).config_store(export.to_str().unwrap()).run();
    assert_eq!(inv.sources, [export.to_str().unwrap().to_string()]);
    let u = &inv.units[0];
    assert_eq!(u.secrets.len(), 1, "{:#?}", u.evidence);
    assert_eq!(u.secrets[0].path, "consul-backup.txt");
    assert!(!common::json(&inv).contains("T3BlbkFJ"));
}
