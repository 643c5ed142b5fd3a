//! The table fits the terminal: `COLUMNS` (else the terminal) bounds every line, STATUS
//! always shows, remotes read `owner/name`, and `--wide` or a pipe prints everything.

use crate::common;

use std::fs;
use std::path::Path;

use unicode_width::UnicodeWidthStr;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// stdout of a run that must succeed, as UTF-8 (a cut inside a char would fail here).
fn table(args: &[&str], cwd: &Path, columns: Option<&str>) -> String {
    let env: Vec<(&str, &str)> = columns.map(|c| ("COLUMNS", c)).into_iter().collect();
    let out = common::run_env(args, cwd, &env);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the table is UTF-8")
}

fn widest(stdout: &str) -> usize {
    stdout
        .lines()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

fn header(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.starts_with("REPO") || l.starts_with("UNIT"))
        .unwrap_or_else(|| panic!("no header in {stdout}"))
}

/// Rows under the header, up to the blank line that ends the table.
fn rows(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .skip_while(|l| !(l.starts_with("REPO") || l.starts_with("UNIT")))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("test-repos"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("test-repos/{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_fits_120_and_80_columns_with_its_status() {
    let mut with_units = 0;
    for fixture in fixtures() {
        for width in [120, 80] {
            let cols = width.to_string();
            let stdout = table(&["scan", &fixture], root(), Some(&cols));
            assert!(
                widest(&stdout) <= width,
                "{fixture} at {width}: a line is {} wide:\n{stdout}",
                widest(&stdout)
            );
            if stdout.contains("no AI usage found") {
                continue;
            }
            with_units += 1;
            // One repository: named in the first line, not on every row.
            assert!(
                stdout.lines().next().unwrap().contains(&fixture),
                "{stdout}"
            );
            let head = header(&stdout);
            assert!(head.starts_with("UNIT"), "{fixture} at {width}: {head}");
            assert!(head.trim_end().ends_with("STATUS"), "{fixture}: {head}");
            for row in rows(&stdout) {
                let status = row.split_whitespace().last().unwrap();
                assert!(
                    ["governed", "partial", "shadow"].contains(&status),
                    "{fixture} at {width}: {row:?}"
                );
            }
        }
    }
    assert!(
        with_units > 40,
        "the fixtures lost their units: {with_units}"
    );
}

/// An organisation of repositories whose remotes are long enterprise URLs (with a
/// token in one) and whose agents sit deep in the tree, one path in Japanese.
fn long_org(dir: &Path) -> Vec<(String, String)> {
    let mut repos = Vec::new();
    for i in 0..6 {
        let name = format!("customer-experience-platform-service-{i}");
        let work = dir.join(&name);
        let repo = git2::Repository::init(&work).unwrap();
        let url = format!(
            "https://ci-bot:tok3n@git.example-enterprise.internal/scm/\
             some-very-long-organisation-name/{name}.git"
        );
        repo.remote("origin", &url).unwrap();
        let unit = if i == 5 {
            "サービス/エージェント/カスタマーサポート/エスカレーション担当エージェント".to_string()
        } else {
            format!("services/platform/internal/agents/customer-support/escalation-agent-{i}")
        };
        let deps =
            "openai>=1.55\nanthropic>=0.40\nlangchain>=0.3\nlanggraph>=0.2\nllama-index>=0.12\n";
        let code = "import openai\nimport anthropic\n\nclient = openai.OpenAI()\n\
                    r = client.chat.completions.create(model=\"gpt-4o-mini\", messages=[])\n\
                    c = anthropic.Anthropic()\n\
                    m = c.messages.create(model=\"claude-3-5-sonnet-latest\", max_tokens=10, messages=[])\n";
        common::commit(
            &repo,
            &[
                (&format!("{unit}/requirements.txt"), Some(deps)),
                (&format!("{unit}/agent.py"), Some(code)),
            ],
            "agent",
            1_700_000_000,
        );
        repos.push((url.replace("ci-bot:tok3n@", ""), unit));
    }
    repos
}

#[test]
fn an_org_of_long_remotes_and_deep_paths_fits_and_wide_shows_it_all() {
    let t = tempfile::tempdir().unwrap();
    let repos = long_org(t.path());
    let org = t.path().to_str().unwrap();
    for width in [120, 80] {
        let stdout = table(&["scan", org], t.path(), Some(&width.to_string()));
        assert!(widest(&stdout) <= width, "{width}:\n{stdout}");
        let head = header(&stdout);
        assert!(head.starts_with("REPO"), "{width}: {head}");
        assert!(head.trim_end().ends_with("STATUS"), "{width}: {head}");
        assert_eq!(rows(&stdout).len(), 6, "{stdout}");
        // owner/name, not the URL on every row; never the token.
        assert!(!stdout.contains("https://"), "{stdout}");
        assert!(!stdout.contains("tok3n"), "{stdout}");
        assert!(stdout.contains("some-very"), "{stdout}");
        // Deep paths are shortened from the middle: both ends stay.
        assert!(stdout.contains("services/"), "{stdout}");
        assert!(stdout.contains("…"), "{stdout}");
        // What gave way is said, with the way back.
        assert!(stdout.contains("--wide"), "{stdout}");
        if width == 80 {
            assert!(stdout.contains("hidden:"), "{stdout}");
            assert!(stdout.contains("MODELS"), "{stdout}");
            assert!(stdout.contains("MEG: monitoring"), "{stdout}");
        }
    }
    // --wide at a narrow terminal, and a pipe with no COLUMNS: every value in full.
    let wide = table(&["scan", org, "--wide"], t.path(), Some("80"));
    let piped = table(&["scan", org], t.path(), None);
    assert_eq!(wide, piped);
    assert!(widest(&wide) > 120, "{wide}");
    for (url, unit) in &repos {
        assert!(wide.contains(url.as_str()), "{url} not in {wide}");
        assert!(wide.contains(unit.as_str()), "{unit} not in {wide}");
    }
    for column in ["MODELS", "MON", "EVAL", "GUARD", "FRAMEWORKS"] {
        assert!(header(&wide).contains(column), "{column}: {wide}");
    }
    assert!(
        wide.contains("claude-3-5-sonnet-latest, gpt-4o-mini"),
        "{wide}"
    );
    assert!(!wide.contains("--wide"), "{wide}");

    // `report` fits a saved inventory the same way, and takes --wide too.
    let inv = t.path().join("inv.json");
    let inv = inv.to_str().unwrap();
    table(&["scan", org, "-f", "json", "-o", inv], t.path(), None);
    let fitted = table(&["report", inv], t.path(), Some("80"));
    assert!(widest(&fitted) <= 80, "{fitted}");
    let wide_report = table(&["report", inv, "--wide"], t.path(), Some("80"));
    for (url, _) in &repos {
        assert!(
            wide_report.contains(url.as_str()),
            "{url} not in {wide_report}"
        );
    }
}

#[test]
fn a_tiny_terminal_still_gets_no_line_wider_than_it() {
    let t = tempfile::tempdir().unwrap();
    long_org(t.path());
    let org = t.path().to_str().unwrap();
    for width in [40, 20, 8] {
        let stdout = table(&["scan", org], t.path(), Some(&width.to_string()));
        assert!(widest(&stdout) <= width, "{width}:\n{stdout}");
        assert!(header(&stdout).contains("STATUS") || width < 30, "{stdout}");
    }
}
