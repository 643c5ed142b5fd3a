//! No output ever carries a secret: every positive example of every secret rule is
//! planted in a tree and scanned with every `--format`, `-v`, and as a pre-commit hook;
//! no full value — nor its second half — may appear in any output byte. Nor may the
//! fingerprint key (issue #8): it is planted too, given by file, by variable and in
//! aiscout.toml, and looked for in every report, baseline, merge, diff and error.

use crate::common;

use std::fs;

use aiscout::detect::{BlobOutcome, DetectOptions, Detector, Scratch};
use aiscout::model::{FingerprintKey, Kind, Redacted};
use aiscout::report::Format;
use aiscout::rules::RuleSet;
use aiscout::source::filekind::FileKind;
use clap::ValueEnum;

#[test]
fn no_secret_value_reaches_any_output() {
    let rules = RuleSet::builtin().unwrap();
    let detector = Detector::new(RuleSet::builtin().unwrap(), DetectOptions::default());
    let t = tempfile::tempdir().unwrap();
    let mut values: Vec<String> = Vec::new();
    let (mut scratch, mut out) = (Scratch::default(), BlobOutcome::default());
    for (ri, rule) in rules
        .rules()
        .iter()
        .filter(|r| r.kind == Kind::Secret)
        .enumerate()
    {
        let re = rule.regex.as_ref().and_then(|l| l.get()).unwrap();
        for (ei, ex) in rule.examples.iter().enumerate() {
            detector.detect(
                &FileKind::of(&ex.path),
                &ex.path,
                ex.text.as_bytes(),
                &mut scratch,
                &mut out,
            );
            let reported: Vec<String> = out
                .evidence
                .iter()
                .filter_map(|e| e.secret.as_ref().map(|s| s.fingerprint.clone()))
                .collect();
            // The raw values behind the fingerprints that were reported.
            for caps in re.captures_iter(ex.text.as_bytes()) {
                if let Some(m) = caps.name("secret") {
                    let red = Redacted::new(m.as_bytes(), &FingerprintKey::default());
                    if reported.contains(&red.fingerprint) {
                        values.push(String::from_utf8_lossy(m.as_bytes()).into_owned());
                    }
                }
            }
            let name = ex.path.rsplit('/').next().unwrap();
            let dir = t.path().join(format!("r{ri}/e{ei}"));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(name), &ex.text).unwrap();
        }
    }
    assert!(
        values.len() >= 100,
        "only {} planted secrets were reported",
        values.len()
    );
    // The fingerprint key, outside the scanned tree.
    let keys = tempfile::tempdir().unwrap();
    let key = planted_key();
    let key_file = keys.path().join("fingerprint.key");
    fs::write(&key_file, format!("{key}\n")).unwrap();
    let kf = key_file.to_str().unwrap();
    let dir = t.path().to_str().unwrap();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for format in Format::value_variants() {
        let f = format.to_possible_value().unwrap().get_name().to_string();
        for verbose in [&[][..], &["-v"][..], &["-vv"][..]] {
            let mut args = vec![
                "scan",
                dir,
                "--format",
                &f,
                "--fail-on",
                "secret",
                "--stats",
                "--fingerprint-key-file",
                kf,
            ];
            args.extend_from_slice(verbose);
            let o = common::run(&args, t.path());
            assert_eq!(o.status.code(), Some(1), "{f}: the secret policy fails");
            outputs.push((format!("{f} {verbose:?} stdout"), o.stdout));
            outputs.push((format!("{f} {verbose:?} stderr"), o.stderr));
        }
    }
    let out = keys.path();
    let path = |name: &str| out.join(name).to_str().unwrap().to_string();
    let (base, inv, inv_default) = (path("baseline.json"), path("inv.json"), path("d.json"));
    // The key by each route: a file, the key itself in a variable, aiscout.toml.
    let by_env = [("AISCOUT_FINGERPRINT_KEY", key.as_str())];
    let o = run_env(
        &["baseline", "create", dir, "-o", &base, "-vv"],
        t.path(),
        &by_env,
    );
    outputs.push(("baseline".into(), fs::read(&base).unwrap()));
    outputs.push(("baseline stderr".into(), o.stderr));
    let scan_json = ["scan", dir, "-f", "json", "-o"];
    let o = run_env(
        &[&scan_json[..], &[inv.as_str()]].concat(),
        t.path(),
        &[("AISCOUT_FINGERPRINT_KEY_FILE", kf)],
    );
    outputs.push(("json by variable".into(), fs::read(&inv).unwrap()));
    outputs.push(("json by variable stderr".into(), o.stderr));
    let o = run_env(
        &[&scan_json[..], &[inv_default.as_str()]].concat(),
        t.path(),
        &[],
    );
    outputs.push(("default key stderr".into(), o.stderr));
    fs::write(
        t.path().join("aiscout.toml"),
        format!("[scan]\nfingerprint_key_file = \"{kf}\"\n"),
    )
    .unwrap();
    let o = run_env(&["scan", dir, "-f", "sarif", "-vv"], t.path(), &[]);
    outputs.push(("by aiscout.toml".into(), o.stdout));
    outputs.push(("by aiscout.toml stderr".into(), o.stderr));
    fs::remove_file(t.path().join("aiscout.toml")).unwrap();
    // Errors: a key mismatch in merge, diff and --baseline; a refused key.
    for args in [
        vec!["merge", &inv, &inv_default, "-o", "/dev/null"],
        vec!["diff", &inv_default, &inv],
        vec!["scan", dir, "--baseline", &base, "-vv"],
        vec!["report", &inv, "-f", "html"],
    ] {
        let o = run_env(&args, t.path(), &[]);
        outputs.push((format!("{args:?}"), o.stdout));
        outputs.push((format!("{args:?} stderr"), o.stderr));
    }
    let short = &key[..12];
    let o = run_env(
        &["scan", dir, "-vv"],
        t.path(),
        &[("AISCOUT_FINGERPRINT_KEY", short)],
    );
    assert_eq!(o.status.code(), Some(2));
    outputs.push(("short key stderr".into(), o.stderr));
    // Any 16 characters of a value past the prefix a redaction may show: catches a
    // snippet cut inside a value it never redacted as well as a whole value.
    let pieces: Vec<&str> = values
        .iter()
        .flat_map(|v| {
            let body = v.get(Redacted::MAX_PREFIX..).unwrap_or("");
            (0..body.len() / 16).filter_map(move |i| body.get(i * 16..i * 16 + 16))
        })
        .collect();
    let pieces_ac = aho_corasick::AhoCorasick::new(&pieces).unwrap();
    for (what, bytes) in &outputs {
        if let Some(m) = pieces_ac.find(bytes) {
            panic!("{what} leaks part of a value: {}", pieces[m.pattern()]);
        }
        let text = String::from_utf8_lossy(bytes);
        for v in &values {
            let half = &v[v.len() / 2..];
            assert!(!text.contains(v.as_str()), "{what} leaks a full value");
            assert!(
                half.len() < 8 || !text.contains(half),
                "{what} leaks half a value"
            );
        }
        assert!(
            !text.contains(&key[..12]),
            "{what} leaks the fingerprint key"
        );
        assert!(!text.contains(&key[20..]), "{what} leaks part of the key");
    }
}

/// A key text no output could contain by chance: random, 40 characters.
fn planted_key() -> String {
    let k = common::fake_key();
    format!("fpkey-{}", &k[40..74])
}

use crate::common::run_env;

/// Issue #8: a snippet is cut at 160 characters. The Anthropic key's snippet was cut
/// before the OpenAI key after it on the same line was found, and showed 140 of its
/// characters, where no search for the whole value could find them.
#[test]
fn issue_8_a_snippet_cut_inside_a_key_found_later_never_shows_it() {
    let t = tempfile::tempdir().unwrap();
    let openai = common::fake_key();
    let body = common::fake_key();
    let anthropic = format!("sk-ant-api03-{}AA", &body[8..101]);
    fs::write(
        t.path().join("app.py"),
        format!("import openai\nA = \"{anthropic}\"; B = \"{openai}\"\n"),
    )
    .unwrap();
    let o = common::run(
        &["scan", t.path().to_str().unwrap(), "-f", "json", "-vv"],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = common::all_units(&v)[0]["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["secret.anthropic", "secret.openai.project"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for key in [&anthropic, &openai] {
        for piece in key.as_bytes()[Redacted::MAX_PREFIX..].chunks(16) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(piece.len() < 8 || !text.contains(piece), "leaks {piece}");
        }
    }
}

/// A random token of `n` base62 characters, made per run.
fn random_token(n: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    const ALPHA: &[u8] = b"BCDFGHJKLMNPQRSTVWYZbcdfghjklmnpqrstvwyz0123456789";
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    (0..n as u64)
        .map(|i| {
            h.write_u64(i);
            ALPHA[(h.finish() % ALPHA.len() as u64) as usize] as char
        })
        .collect()
}

/// Issue #14: redaction must not depend on recognition. Tokens no rule claims (a
/// GitHub token beside an AI call, an unprefixed value), a key under a provider's name
/// that no provider rule knows, a key in a file name, and a token in a remote URL's
/// query never reach any format, `-v` output or the cache; the named key and the key
/// in the name are findings.
#[test]
fn issue_14_unclaimed_tokens_keys_in_names_and_url_tokens_never_reach_any_output() {
    let t = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(t.path()).unwrap();
    let (ghp, loose, named, url_token) = (
        format!("ghp_{}", random_token(36)),
        random_token(40),
        random_token(40),
        random_token(32),
    );
    let in_name = common::fake_key();
    let dir_key = random_token(32);
    let files = [
        (
            "app.py".to_string(),
            format!(
                "import openai\nclient = openai.OpenAI()  # ci token {ghp}\n\
                 x = openai.OpenAI(base_url=\"{loose}\")\n\
                 voyage_api_key: str = \"{named}\"\n"
            ),
        ),
        (
            format!("keys/{in_name}.txt"),
            "import anthropic\n".to_string(),
        ),
        // A malformed manifest under a key-named folder: a skip line names its path.
        (
            format!("{dir_key}/package.json"),
            "{ \"dependencies\": { \"openai\": ".to_string(),
        ),
    ];
    let files: Vec<(&str, Option<&str>)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), Some(c.as_str())))
        .collect();
    common::commit(&repo, &files, "init", 1_700_000_000);
    repo.remote(
        "origin",
        &format!("https://bot:{ghp}@github.com/acme/agent.git?private_token={url_token}"),
    )
    .unwrap();

    let dir = t.path().to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for format in Format::value_variants() {
        let f = format.to_possible_value().unwrap().get_name().to_string();
        for verbose in [&[][..], &["-vv"][..]] {
            let mut args = vec!["scan", dir, "-f", &f, "--cache"];
            args.push(cache.path().to_str().unwrap());
            args.extend_from_slice(verbose);
            let o = common::run(&args, t.path());
            assert_eq!(o.status.code(), Some(0), "{f}");
            outputs.push((format!("{f} {verbose:?}"), o.stdout));
            outputs.push((format!("{f} {verbose:?} stderr"), o.stderr));
        }
    }
    for entry in walk(cache.path()) {
        outputs.push((entry.display().to_string(), fs::read(&entry).unwrap()));
    }
    assert!(outputs.len() > 2 * Format::value_variants().len());

    let json = common::run(&["scan", dir, "-f", "json"], t.path());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut found: Vec<(String, String)> = common::all_units(&v)
        .iter()
        .flat_map(|u| u["secrets"].as_array().unwrap().iter())
        .map(|s| {
            (
                s["rule_id"].as_str().unwrap().to_string(),
                s["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("secret.ai-named".to_string(), "app.py".to_string()),
            (
                "secret.openai.project".to_string(),
                "keys/sk-proj-….txt".to_string()
            ),
        ]
    );
    assert_eq!(
        v["repositories"][0]["identity"],
        "https://github.com/acme/agent.git"
    );
    let skips = v["stats"]["skipped"]["malformed_manifest"].as_u64();
    assert_eq!(skips, Some(1), "{}", v["stats"]);

    for (what, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes);
        for value in [&ghp, &loose, &named, &in_name, &url_token, &dir_key] {
            for piece in value.as_bytes()[4..].chunks(12) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(
                    piece.len() < 8 || !text.contains(piece),
                    "{what} leaks part of {}…: {piece}",
                    &value[..4]
                );
            }
        }
    }
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
