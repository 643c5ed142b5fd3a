//! What a scanned repository can make aiscout read and print (issue #14, items 1, 5
//! and 9): its configuration files are never followed through a symlink and their
//! errors never quote them; names it chose reach terminals and CI logs escaped, never
//! as controls or workflow commands; absurd limits and a cache inside the scanned tree
//! are usage errors; a fault never hides a policy failure. Every test runs the real
//! binary on a tree built in a temp dir.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::common;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

/// A value that must never appear in any output, made per run.
fn canary() -> String {
    format!("canary-{}-{:x}", std::process::id(), rand_u64())
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u8(1);
    h.finish()
}

fn run(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    crate::common::run_env(args, cwd, env)
}

// ---------------------------------------------------------------------------------
// Item 1: configuration files of a scanned tree

/// Issue #14: a committed `aiscout.toml` linked to `/proc/self/environ` printed the
/// scanner's environment in the TOML error. A link is refused by name, never opened.
#[test]
fn issue_14_a_symlinked_config_is_refused_and_never_read() {
    let secret = canary();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "creds",
        format!("TOKEN={secret}\n[x\n").as_bytes(),
    );
    for name in ["aiscout.toml", ".aiscout.toml"] {
        let targets = [
            outside.path().join("creds"),
            Path::new("/proc/self/environ").to_path_buf(),
            outside.path().to_path_buf(), // a directory
        ];
        for target in &targets {
            let t = tempfile::tempdir().unwrap();
            write(t.path(), "app.py", b"import openai\n");
            std::os::unix::fs::symlink(target, t.path().join(name)).unwrap();
            let out = run(
                &["scan", t.path().to_str().unwrap(), "-f", "json"],
                t.path(),
                &[("AISCOUT_TEST_CANARY", &secret)],
            );
            let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
            assert_eq!(out.status.code(), Some(2), "{name} -> {target:?}: {stderr}");
            assert!(
                stderr.contains(name) && stderr.contains("symbolic link"),
                "{stderr}"
            );
            assert!(!stderr.contains(&secret) && !stdout.contains(&secret));
        }
    }
}

/// A FIFO named `aiscout.toml` would block a reader forever; a huge one would exhaust
/// memory. Both are refused by their metadata, before any read.
#[test]
fn issue_14_a_fifo_or_oversized_config_is_refused_without_reading() {
    let t = tempfile::tempdir().unwrap();
    let status = Command::new("mkfifo")
        .arg(t.path().join("aiscout.toml"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = run(&["scan", t.path().to_str().unwrap()], t.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a regular file"), "{out:?}");

    let t = tempfile::tempdir().unwrap();
    let big = "# padding\n".repeat(200_000);
    write(t.path(), "aiscout.toml", big.as_bytes());
    let out = run(&["scan", t.path().to_str().unwrap()], t.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("larger than 1024 KiB"),
        "{out:?}"
    );
}

/// A config error names the file, line and column and the kind of error; what the file
/// holds (a value, a key, an excerpt) is never quoted.
#[test]
fn issue_14_config_errors_name_the_place_never_the_content() {
    let secret = canary();
    let cases = [
        (
            format!("[scan]\nfail_on = [\"{secret}\"]\n"),
            ":2:12:",
            "unknown variant",
        ),
        (format!("[scan]\n{secret} = 1\n"), ":2:1:", "unknown field"),
        (format!("# ok\n\nTOKEN={secret}\n"), ":3:7:", "invalid"),
        (
            format!("[status]\ngoverned = \"{secret}\"\n"),
            ":2:12:",
            "invalid type",
        ),
    ];
    for (toml, place, kind) in cases {
        let t = tempfile::tempdir().unwrap();
        write(t.path(), "aiscout.toml", toml.as_bytes());
        let out = run(&["scan", t.path().to_str().unwrap()], t.path(), &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("aiscout.toml{place}")) && stderr.contains(kind),
            "{toml:?}: {stderr}"
        );
        assert!(!stderr.contains(&secret), "{stderr}");
    }
    // Not UTF-8: the place of the first bad byte, nothing of the bytes.
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "aiscout.toml", b"[scan]\nx = \"\xff\xfe\"\n");
    let out = run(&["scan", t.path().to_str().unwrap()], t.path(), &[]);
    assert!(
        text(&out.stderr).contains("aiscout.toml:2:6: the aiscout config is not UTF-8"),
        "{out:?}"
    );
}

fn git_repo_with_staged(root: &Path) {
    let repo = git2::Repository::init(root).unwrap();
    write(root, "app.py", b"import openai\n");
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("app.py")).unwrap();
    index.write().unwrap();
}

/// `[hook] baseline` is a file of the repository: not through a link, not outside it,
/// and its parse errors do not quote it.
#[test]
fn issue_14_the_hook_baseline_stays_inside_the_repository() {
    let secret = canary();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "creds.json",
        format!("{{\"aiscout_baseline\": \"{secret}\"}}").as_bytes(),
    );
    let cases: [(&str, &str); 4] = [
        ("linked.json", "symbolic link"),
        ("dir/base.json", "symbolic link"), // `dir` is the link
        ("../creds.json", "inside the repository"),
        ("own.json", "not an aiscout baseline"),
    ];
    for (baseline, want) in cases {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("repo");
        fs::create_dir(&root).unwrap();
        git_repo_with_staged(&root);
        std::os::unix::fs::symlink(outside.path().join("creds.json"), root.join("linked.json"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("dir")).unwrap();
        fs::copy(
            outside.path().join("creds.json"),
            t.path().join("creds.json"),
        )
        .unwrap();
        fs::copy(outside.path().join("creds.json"), root.join("own.json")).unwrap();
        fs::copy(
            outside.path().join("creds.json"),
            outside.path().join("base.json"),
        )
        .unwrap();
        write(
            &root,
            "aiscout.toml",
            format!("[hook]\nbaseline = \"{baseline}\"\n").as_bytes(),
        );
        let out = run(&["hook", "run", root.to_str().unwrap()], &root, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{baseline}: {stderr}");
        assert!(stderr.contains(want), "{baseline}: {stderr}");
        assert!(!stderr.contains(&secret), "{baseline}: {stderr}");
    }
}

// ---------------------------------------------------------------------------------
// Item 5: text output is safe for terminals and CI logs

const EVIL_NAMES: [&str; 7] = [
    "esc\x1b[31mred\x1b]0;title\x07",
    "cr\roverwritten",
    "nl\n::error file=a.py::forged",
    "::warning::at-start",
    "vso ##vso[task.setvariable variable=X]1",
    "az ##[error]forged",
    "bidi\u{202e}yp.txt\u{2066}\u{85}c1",
];

/// Fails when `out` could drive a terminal or a CI runner: a control other than a line
/// break, a C1 code, a bidi control, or a line that is (or holds) a workflow command.
fn assert_log_safe(what: &str, out: &str) {
    for c in out.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}');
        assert!(!bad, "{what}: raw {c:?} in {out:?}");
    }
    for line in out.lines() {
        assert!(!line.trim_start().starts_with("::"), "{what}: {line:?}");
        let lower = line.to_lowercase();
        assert!(
            !lower.contains("##vso[") && !lower.contains("##["),
            "{what}: {line:?}"
        );
    }
}

/// Makes a folder of agents, one per hostile name (one of them a git repository, so a
/// repository identity carries the name too), each with a control sequence in a line
/// the verbose table shows as a snippet.
fn evil_org(root: &Path) -> std::path::PathBuf {
    let org = root.join("org");
    for name in EVIL_NAMES {
        let dir = org.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("requirements.txt"), "openai\n").unwrap();
        fs::write(dir.join("app.py"), "import openai  # \x1b[2J\u{202e}\n").unwrap();
    }
    git2::Repository::init(org.join(EVIL_NAMES[2])).unwrap();
    org
}

#[test]
fn issue_14_names_from_a_scanned_tree_are_escaped_in_every_text_output() {
    let t = tempfile::tempdir().unwrap();
    let org = evil_org(t.path());
    let o = org.to_str().unwrap();
    let inv = t.path().join("inv.json");
    let empty = t.path().join("empty.json");
    fs::create_dir(t.path().join("nothing")).unwrap();
    let cwd = t.path();
    let ok = |args: &[&str], codes: &[i32]| {
        let out = run(args, cwd, &[]);
        assert!(
            codes.contains(&out.status.code().unwrap()),
            "{args:?}: {}",
            text(&out.stderr)
        );
        out
    };
    ok(
        &["scan", o, "-f", "json", "-o", inv.to_str().unwrap()],
        &[0],
    );
    ok(
        &[
            "scan",
            "nothing",
            "-f",
            "json",
            "-o",
            empty.to_str().unwrap(),
        ],
        &[0],
    );
    // JSON stays lossless: the names are data there, escaped only by JSON.
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&inv).unwrap()).unwrap();
    let paths: Vec<&str> = common::all_units(&json)
        .iter()
        .filter_map(|u| u["path"].as_str())
        .collect();
    assert!(paths.contains(&EVIL_NAMES[0]), "{paths:?}");

    let (i, e) = (inv.to_str().unwrap(), empty.to_str().unwrap());
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("table", vec!["scan", o, "--fail-on", "shadow"]),
        (
            "verbose table",
            vec!["scan", o, "-v", "--fail-on", "unowned"],
        ),
        ("markdown", vec!["scan", o, "-f", "markdown"]),
        (
            "report table",
            vec!["report", i, "-v", "--fail-on", "shadow"],
        ),
        ("report markdown", vec!["report", i, "-f", "markdown"]),
        ("diff table", vec!["diff", e, i, "--fail-on", "new-agent"]),
        ("diff markdown", vec!["diff", e, i, "-f", "markdown"]),
    ];
    for (what, args) in &runs {
        let out = ok(args, &[0, 1]);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_log_safe(&format!("{what} stdout"), &stdout);
        assert_log_safe(&format!("{what} stderr"), &stderr);
        // Shown, not dropped: each name is there in its escaped form.
        // Markdown escapes the escapes' backslashes and brackets once more.
        let wanted = if what.contains("markdown") {
            [
                r"\\x1b\[31mred",
                r"cr\\x0doverwritten",
                r"nl\\x0a::error",
                r"\\u{202e}yp.txt",
            ]
        } else {
            [
                r"\x1b[31mred",
                r"cr\x0doverwritten",
                r"nl\x0a::error",
                r"\u{202e}yp.txt",
            ]
        };
        for shown in wanted {
            assert!(stdout.contains(shown), "{what}: {shown:?} not in {stdout}");
        }
    }
    // The policy lines on stderr name the units too.
    let out = ok(&["scan", o, "--fail-on", "shadow"], &[1]);
    assert!(text(&out.stderr).contains("\\x1b[31mred"), "{out:?}");
    // A name that starts a line (the table's first cells) cannot start a command.
    let out = ok(&["report", i], &[0]);
    assert!(
        text(&out.stdout).contains(r"\x3a:warning::at-start"),
        "{out:?}"
    );
    // The verbose table shows the snippet's controls escaped.
    let out = ok(&["scan", o, "-v"], &[0]);
    assert!(text(&out.stdout).contains("# \\x1b[2J\\u{202e}"), "{out:?}");
}

/// An error naming a path the repository (or a `--repos-from` list) chose is escaped
/// like any other output line.
#[test]
fn issue_14_errors_naming_hostile_paths_are_escaped() {
    let t = tempfile::tempdir().unwrap();
    for name in EVIL_NAMES {
        let out = run(&["scan", &format!("missing-{name}")], t.path(), &[]);
        assert_eq!(out.status.code(), Some(2));
        assert_log_safe(name, &text(&out.stderr));
        assert!(text(&out.stderr).contains("missing-"), "{out:?}");
    }
    // A config error in a hostile directory.
    let org = t.path().join(EVIL_NAMES[2]);
    write(&org, "aiscout.toml", b"[nope\n");
    let out = run(
        &["scan", org.to_str().unwrap(), "--trust-repo-config"],
        t.path(),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_log_safe("config error", &stderr);
    assert!(stderr.contains("nl\\x0a::error file"), "{stderr}");
}

// ---------------------------------------------------------------------------------
// Item 9: limits and exit codes

#[test]
fn issue_14_absurd_limits_are_usage_errors() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "app.py", b"import openai\n");
    let p = t.path().to_str().unwrap();
    for (args, want) in [
        (vec!["scan", p, "-j", "5000"], "1024"),
        (
            vec!["scan", p, "--threads", "99999999999999999999"],
            "threads",
        ),
        (vec!["scan", p, "--max-file-size", "0"], "at least 1"),
        (vec!["scan", p, "--max-file-size", "0K"], "at least 1"),
    ] {
        let out = run(&args, t.path(), &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(want), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}: no report");
    }
    // 0 threads is the default (every core), as documented.
    let out = run(&["scan", p, "-j", "0", "-f", "json"], t.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stdout).contains("openai"));
}

/// `--cache` inside a scanned tree would write into it: refused before anything is
/// created, however the path is spelt.
#[test]
fn issue_14_a_cache_inside_a_scanned_tree_is_a_usage_error() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    write(&repo, "app.py", b"import openai\n");
    fs::create_dir(t.path().join("other")).unwrap();
    std::os::unix::fs::symlink(&repo, t.path().join("link")).unwrap();
    let list = t.path().join("list.txt");
    fs::write(&list, format!("{}\n", repo.display())).unwrap();
    for (scan, cache) in [
        ("repo", "repo/.cache/aiscout"),
        ("repo", "repo"),
        ("repo", "other/../repo/new/../c"),
        ("repo", "link/c"),
        ("link", "repo/c"),
    ] {
        let out = run(&["scan", scan, "--cache", cache], t.path(), &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cache}: {stderr}");
        assert!(stderr.contains("inside the scanned path"), "{stderr}");
        assert_eq!(
            fs::read_dir(&repo).unwrap().count(),
            1,
            "{cache}: nothing written into the tree"
        );
    }
    let out = run(
        &["scan", "--repos-from", "list.txt", "--cache", "repo/c"],
        t.path(),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // Beside the tree is fine.
    let out = run(&["scan", "repo", "--cache", "other/c"], t.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Exit 2 (a fault) outranks exit 1 (a policy failure), but both are said, each line
/// escaped (the unreadable file's name holds controls).
#[test]
fn issue_14_a_fault_never_hides_a_policy_failure() {
    let t = tempfile::tempdir().unwrap();
    fs::set_permissions(t.path(), fs::Permissions::from_mode(0o755)).unwrap();
    write(t.path(), "app.py", b"import openai\n");
    let locked = "locked\x1b[2J\n::error::x.py";
    write(t.path(), locked, b"import cohere\n");
    fs::set_permissions(t.path().join("app.py"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(t.path().join(locked), fs::Permissions::from_mode(0o000)).unwrap();
    let args = [
        "scan",
        t.path().to_str().unwrap(),
        "--fail-on",
        "shadow",
        "-f",
        "json",
    ];
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(common::unprivileged_bin());
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_aiscout"))
    };
    let out = cmd.args(args).current_dir(t.path()).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("policy failed: "), "{stderr}");
    assert!(stderr.contains("fault: "), "{stderr}");
    assert!(stderr.contains("locked\\x1b[2J\\x0a::error"), "{stderr}");
    assert!(
        stderr.contains("exit 2: 1 fault(s) while scanning, and the --fail-on policy failed"),
        "{stderr}"
    );
    assert_log_safe("fault and policy", &stderr);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 1, "report written");
}
