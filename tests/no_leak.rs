//! No output ever carries a secret: every positive example of every secret rule is
//! planted in a tree and scanned with every `--format`, `-v`, and as a pre-commit hook;
//! no full value — nor its second half — may appear in any output byte.

mod common;

use std::fs;

use aiscout::detect::{BlobOutcome, DetectOptions, Detector, Scratch};
use aiscout::model::{Kind, Redacted};
use aiscout::report::Format;
use aiscout::rules::RuleSet;
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
            detector.scan(&ex.path, ex.text.as_bytes(), &mut scratch, &mut out);
            let reported: Vec<String> = out
                .evidence
                .iter()
                .filter_map(|e| e.secret.as_ref().map(|s| s.fingerprint.clone()))
                .collect();
            // The raw values behind the fingerprints that were reported.
            for caps in re.captures_iter(ex.text.as_bytes()) {
                if let Some(m) = caps.name("secret") {
                    if reported.contains(&Redacted::new(m.as_bytes()).fingerprint) {
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
            ];
            args.extend_from_slice(verbose);
            let o = common::run(&args, t.path());
            assert_eq!(o.status.code(), Some(1), "{f}: the secret policy fails");
            outputs.push((format!("{f} {verbose:?} stdout"), o.stdout));
            outputs.push((format!("{f} {verbose:?} stderr"), o.stderr));
        }
    }
    let base = t.path().join("baseline.json");
    let o = common::run(
        &["baseline", "create", dir, "-o", base.to_str().unwrap()],
        t.path(),
    );
    outputs.push(("baseline".into(), fs::read(&base).unwrap()));
    outputs.push(("baseline stderr".into(), o.stderr));
    for (what, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes);
        for v in &values {
            let half = &v[v.len() / 2..];
            assert!(!text.contains(v.as_str()), "{what} leaks a full value");
            assert!(
                half.len() < 8 || !text.contains(half),
                "{what} leaks half a value"
            );
        }
    }
}
