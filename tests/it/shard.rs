//! `--shard I/N` and `aiscout merge` (issue #7): the shards of an organisation, merged,
//! are byte for byte the inventory of one unsharded scan.

use crate::common;
use crate::common::Scan;

use std::fs;

#[test]
fn shards_merged_equal_one_unsharded_scan() {
    let t = tempfile::tempdir().unwrap();
    let org = t.path().join("org");
    for i in 0..9 {
        let repo = org.join(format!("repo-{i}"));
        let r = git2::Repository::init(&repo).unwrap();
        if i % 2 == 0 {
            r.remote("origin", &format!("https://github.com/acme/repo-{i}.git"))
                .unwrap();
        }
        fs::write(
            repo.join("app.py"),
            if i % 3 == 0 {
                "import openai\n"
            } else {
                "print(1)\n"
            },
        )
        .unwrap();
        fs::write(repo.join("requirements.txt"), "anthropic\n").unwrap();
    }
    // Files outside any repository belong to the organisation folder itself.
    fs::write(org.join("stray.py"), "import cohere\n").unwrap();
    let o = org.to_str().unwrap();
    let out_dir = t.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let whole = out_dir.join("whole.json");
    let run = |args: &[&str]| {
        let out = common::run(args, t.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["scan", o, "-f", "json", "-o", whole.to_str().unwrap()]);
    let mut shards = Vec::new();
    for i in 1..=3 {
        let p = out_dir.join(format!("shard-{i}.json"));
        run(&[
            "scan",
            o,
            "--shard",
            &format!("{i}/3"),
            "-f",
            "json",
            "-o",
            p.to_str().unwrap(),
        ]);
        shards.push(p);
    }
    // Every shard holds part of the organisation, none all of it.
    let units = |p: &std::path::Path| {
        let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
        v["repositories"].as_array().unwrap().len()
    };
    assert!(shards.iter().all(|p| units(p) < units(&whole)));
    let merged = out_dir.join("merged.json");
    let mut args = vec!["merge"];
    let names: Vec<String> = shards.iter().map(|p| p.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", merged.to_str().unwrap()]);
    run(&args);
    assert_eq!(
        fs::read_to_string(&merged).unwrap(),
        fs::read_to_string(&whole).unwrap()
    );
}

#[test]
fn merge_refuses_inventories_of_different_rule_sets() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("r");
    fs::create_dir(&repo).unwrap();
    fs::write(repo.join("a.py"), "import openai\n").unwrap();
    let a = t.path().join("a.json");
    let out = common::run(
        &[
            "scan",
            repo.to_str().unwrap(),
            "-f",
            "json",
            "-o",
            a.to_str().unwrap(),
        ],
        t.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let mut v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&a).unwrap()).unwrap();
    v["scanner"]["rules_digest"] = "0000".into();
    let b = t.path().join("b.json");
    fs::write(&b, serde_json::to_string(&v).unwrap()).unwrap();
    let out = common::run(
        &[
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            "/dev/null",
        ],
        t.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rescan with one version"));
}

/// Mirrors named one by one (`--repos-from`, as the deploy examples do) are each in
/// exactly one shard, and the shards merged are the unsharded inventory.
#[test]
fn mirrors_named_directly_are_sharded_too() {
    let t = tempfile::tempdir().unwrap();
    let mut list = String::new();
    for i in 0..8 {
        let work = t.path().join(format!("work-{i}"));
        let r = git2::Repository::init(&work).unwrap();
        common::commit(
            &r,
            &[("app.py", Some(&format!("import openai\nx = {i}\n")))],
            "init",
            1_700_000_000,
        );
        let bare = t.path().join(format!("m-{i}.git"));
        common::mirror(&work, &bare)
            // A fixed identity, so which shard each lands in is the same on every run.
            .remote_set_url("origin", &format!("https://github.com/acme/m-{i}.git"))
            .unwrap();
        list.push_str(&format!("{}\n", bare.display()));
    }
    let list_file = t.path().join("repos.txt");
    fs::write(&list_file, list).unwrap();
    let l = list_file.to_str().unwrap();
    let scan = |extra: &[&str], out: &str| {
        let o = t.path().join(out);
        let mut args = vec![
            "scan",
            "--repos-from",
            l,
            "-f",
            "json",
            "-o",
            o.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let run = common::run(&args, t.path());
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        o
    };
    let repos = |p: &std::path::Path| {
        let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
        v["repositories"].as_array().unwrap().len()
    };
    let whole = scan(&[], "whole.json");
    assert_eq!(repos(&whole), 8);
    let a = scan(&["--shard", "1/2"], "a.json");
    let b = scan(&["--shard", "2/2"], "b.json");
    assert_eq!(repos(&a) + repos(&b), 8);
    assert!(repos(&a) > 0 && repos(&b) > 0);
    let merged = t.path().join("merged.json");
    let run = common::run(
        &[
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            merged.to_str().unwrap(),
        ],
        t.path(),
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        fs::read_to_string(&merged).unwrap(),
        fs::read_to_string(&whole).unwrap()
    );
}

/// Many roots (a `--repos-from` list of clones) are walked side by side; the inventory
/// is the same, byte for byte, as one root after the other on one thread.
#[test]
fn many_roots_walked_side_by_side_give_the_one_thread_inventory() {
    let t = tempfile::tempdir().unwrap();
    let mut list = String::new();
    for i in 0..7 {
        let repo = t.path().join(format!("clone-{i}"));
        git2::Repository::init(&repo).unwrap();
        fs::create_dir_all(repo.join("svc")).unwrap();
        fs::write(
            repo.join("svc/app.py"),
            ["import openai\n", "import anthropic\n", "x = 1\n"][i % 3],
        )
        .unwrap();
        fs::write(repo.join("svc/pyproject.toml"), "[project]\nname = \"s\"\n").unwrap();
        fs::write(repo.join("README.md"), "hello\n").unwrap();
        list.push_str(&format!("{}\n", repo.display()));
    }
    let paths: Vec<&str> = list.lines().collect();
    let one = common::json(&Scan::of(&paths).threads(1).run());
    for j in [2, 3, 8] {
        assert_eq!(
            one,
            common::json(&Scan::of(&paths).threads(j).run()),
            "-j {j}"
        );
    }
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["repositories"].as_array().unwrap().len(), 7);
    assert_eq!(v["units"].as_array().unwrap().len(), 5, "{one}");
}
