//! The porting demo: `jail/tally.py` (the legacy tool, Python) and `jail/tally_port.sh`
//! (its port to shell and awk) with four realistic slips. Each slip is undone here one at
//! a time, so each test knows exactly which slip a difference comes from:
//!
//! - the fully mended port behaves like the original on every case: the slips are the
//!   only differences;
//! - each port with one slip left differs on the generated cases;
//! - the hand-listed cases find only some of the slips (the README gives the count).

use std::path::Path;
use std::time::Duration;

use crate::harness::{Project, copy_tree};

/// Each slip: its name, and the replacements (slipped text, mended text) that undo it.
const SLIPS: [(&str, &[(&str, &str)]); 4] = [
    (
        "fields counted from the left (a name with a comma)",
        &[(
            "    name = $1; qty = $2; price = $3\n",
            "    qty = $(NF - 1); price = $NF; name = substr($0, 1, length($0) - length(qty) - length(price) - 2)\n",
        )],
    ),
    (
        "binary rounding half to even instead of decimal half up",
        &[
            (
                "  { sub(/\\r+$/, \"\") }\n",
                "  function cents(qty, price,    d, digits, scale, v) {\n    d = index(price, \".\")\n    if (d == 0) { digits = price; scale = 0 }\n    else { digits = substr(price, 1, d - 1) substr(price, d + 1); scale = length(price) - d }\n    v = qty * digits\n    if (scale <= 2) v = v * 10 ^ (2 - scale)\n    else v = int((v + 5 * 10 ^ (scale - 3)) / 10 ^ (scale - 2))\n    return sprintf(\"%d.%02d\", int(v / 100), v % 100)\n  }\n  { sub(/\\r+$/, \"\") }\n",
            ),
            (
                "sep, price, sep, qty * price\n",
                "sep, price, sep, cents(qty, price)\n",
            ),
            ("%s%s%.2f\\n\", name", "%s%s%s\\n\", name"),
            (
                "    sum += $4\n",
                "    split($4, part, \".\"); sum += part[1] * 100 + part[2]\n",
            ),
            (
                "printf \"total: %.2f\\n\", sum",
                "printf \"total: %d.%02d\\n\", int(sum / 100), sum % 100",
            ),
        ],
    ),
    (
        "no newline after `no items`",
        &[("printf \"no items\"", "printf \"no items\\n\"")],
    ),
    (
        "names sorted with case folded, as in the author's locale",
        &[
            ("keys=\"-k4,4nr -k1,1f\"", "keys=\"-k4,4nr -k1,1\""),
            ("keys=\"-k1,1f\"", "keys=\"-k1,1\""),
        ],
    ),
];

/// A copy of the repository's demo jail, with the slips numbered `mended` undone in the
/// port, and the spec cut to its hand-listed cases (`listed`) or its generated ones.
fn demo(mended: &[usize], listed: bool) -> Project {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::empty();
    copy_tree(&repo.join("jail"), &project.path("jail"));
    for &slip in mended {
        for (slipped, fixed) in SLIPS[slip].1 {
            project.edit("jail/tally_port.sh", slipped, fixed);
        }
    }
    let spec = project.read("jail/tally.yaml");
    let (cases, generate) = spec.split_once("\n# Cases drawn").unwrap();
    let spec = if listed {
        cases.to_string()
    } else {
        let (head, _) = cases.split_once("\n# The cases a person").unwrap();
        format!("{head}\n{}", generate.split_once('\n').unwrap().1)
    };
    // Differences are counted here, not shrunk.
    project.write(
        "jail/tally.yaml",
        spec.replace("  seed: 1\n", "  seed: 1\n  shrink: 0\n"),
    );
    project
}

/// How many cases of the demo differ between the original and the port.
fn differing(project: &Project) -> usize {
    let out = project
        .kaizen(["port", "tally", "--format", "json"])
        .watchdog(Duration::from_secs(300))
        .run();
    let json: serde_json::Value =
        serde_json::from_str(out.stdout()).unwrap_or_else(|e| panic!("{out}\nnot JSON: {e}"));
    json["jails"][0]["changed"].as_u64().unwrap() as usize
}

#[test]
fn the_mended_port_behaves_like_the_original_on_every_case() {
    let all = [0, 1, 2, 3];
    assert_eq!(differing(&demo(&all, false)), 0, "generated cases");
    assert_eq!(differing(&demo(&all, true)), 0, "listed cases");
}

#[test]
fn generated_cases_find_every_slip_and_listed_cases_find_fewer() {
    let mut by_hand = Vec::new();
    for (slip, (name, _)) in SLIPS.iter().enumerate() {
        let others: Vec<usize> = (0..SLIPS.len()).filter(|s| *s != slip).collect();
        let generated = differing(&demo(&others, false));
        eprintln!("{name}: {generated} generated cases differ");
        assert!(generated > 0, "the generated cases miss the slip: {name}");
        if differing(&demo(&others, true)) > 0 {
            by_hand.push(*name);
        }
    }
    // The README's count: generated cases find 4 of 4 slips, the hand-listed ones none.
    assert_eq!(by_hand, Vec::<&str>::new());
}

/// The fenced block of the README after `<!-- NAME -->`.
fn readme_block(name: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let marker = format!("<!-- {name} -->\n");
    let after = readme.split_once(&marker).unwrap().1;
    let body = after.split_once('\n').unwrap().1;
    body.split_once("```\n").unwrap().0.to_string()
}

#[test]
fn the_readme_shows_the_demo_spec_and_what_kaizen_port_prints_for_it() {
    // The spec excerpt is jail/tally.yaml without its comment lines and hand-listed cases.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(repo.join("jail/tally.yaml")).unwrap();
    let (head, rest) = spec.split_once("\ncases:\n").unwrap();
    let generate = rest.split_once("\ngenerate:\n").unwrap().1;
    let uncommented = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        lines.join("\n").trim().to_string()
    };
    let excerpt = format!(
        "{}\n\ngenerate:\n{}\n",
        uncommented(head),
        generate.trim_end()
    );
    assert_eq!(readme_block("port-spec"), excerpt);

    // The report: the README shows its beginning, up to the second difference.
    let project = Project::empty();
    copy_tree(&repo.join("jail"), &project.path("jail"));
    copy_tree(&repo.join("snapshots"), &project.path("snapshots"));
    let out = project
        .kaizen(["port", "tally"])
        .watchdog(Duration::from_secs(300))
        .run();
    out.code(1);
    let shown = readme_block("port-report");
    let shown = shown.strip_suffix("…\n").unwrap();
    assert!(out.stdout().starts_with(shown), "{out}");
    assert!(out.stdout()[shown.len()..].starts_with("\ncase "), "{out}");
}
