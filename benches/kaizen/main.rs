//! kaizen's benchmark suite: `cargo bench --bench kaizen` (add `-- --quick` for a short run).
//!
//! Every figure is a median of interleaved repetitions and is shown with its ratio to a
//! baseline measured in the same run; peak memory is measured in a child process (this
//! binary re-run with `--child`). The output is Markdown, ready for BENCHMARKS.md.
//! `-- --cli` runs only the CLI section, `-- --red` only the red-run section,
//! `-- --bare` only the section on bare program names and the README demo, `-- --html` only
//! the HTML report at 100,000 cases.

mod bare_name;
mod cli;
mod diff;
mod html_report;
mod insta_cmp;
mod jails;
mod measure;
mod red;

use std::process::Command;

use measure::{mb, ratio, show};

struct Plan {
    sizes: Vec<usize>,
    insta_sizes: Vec<usize>,
    quick: bool,
    /// The in-process workloads to measure (`--workload=NAME`, repeatable; default all).
    workloads: Vec<String>,
}

impl Plan {
    fn reps(&self, n: usize) -> usize {
        match (self.quick, n) {
            (true, _) => 3,
            (false, n) if n <= 10_000 => 7,
            (false, n) if n <= 100_000 => 5,
            _ => 3,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--child") {
        match args.get(1).map(String::as_str) {
            Some("insta") => insta_cmp::child(&args[2..]),
            Some("red") => red::child(&args[2..]),
            _ => jails::child(&args[1..]),
        }
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let mut workloads: Vec<String> = args
        .iter()
        .filter_map(|a| a.strip_prefix("--workload="))
        .map(str::to_string)
        .collect();
    if workloads.is_empty() {
        workloads = ["cheap", "moderate", "struct"].map(String::from).to_vec();
    }
    let mut plan = if quick {
        Plan {
            sizes: vec![1_000, 10_000, 100_000],
            insta_sizes: vec![1_000],
            quick,
            workloads,
        }
    } else {
        Plan {
            sizes: vec![1_000, 10_000, 100_000, 1_000_000],
            insta_sizes: vec![1_000, 10_000],
            quick,
            workloads,
        }
    };
    // `--sizes=100000,1000000`: only these case counts in the in-process section.
    if let Some(sizes) = args.iter().find_map(|a| a.strip_prefix("--sizes=")) {
        plan.sizes = sizes.split(',').filter_map(|n| n.parse().ok()).collect();
    }
    machine();
    let mut targets = Vec::new();
    // `--cli`: only the CLI section (for working on the command jail); `--jails`: only the
    // in-process section (for working on recording and verification); `--red`: only the
    // red-run section.
    let only_jails = args.iter().any(|a| a == "--jails");
    let only_cli = args.iter().any(|a| a == "--cli");
    let only_red = args.iter().any(|a| a == "--red");
    if args.iter().any(|a| a == "--html") {
        html_report::section(3);
        return;
    }
    if args.iter().any(|a| a == "--bare") {
        bare_names(&plan, &mut targets);
        print_targets(&targets);
        return;
    }
    if !only_cli && !only_red {
        in_process(&plan, &mut targets);
        if !only_jails {
            insta(&plan, &mut targets);
            report(&plan, &mut targets);
        }
    }
    if !only_cli && !only_jails {
        red_run(&plan, &mut targets);
    }
    if !only_jails && !only_red {
        command_jail(&plan, &mut targets);
        bare_names(&plan, &mut targets);
    }
    print_targets(&targets);
}

fn print_targets(targets: &Targets) {
    println!("\n## Targets\n");
    println!("| target | measured | holds |");
    println!("|---|---|---|");
    for (target, measured, holds) in targets {
        println!(
            "| {target} | {measured} | {} |",
            if *holds { "yes" } else { "NO" }
        );
    }
}

fn machine() {
    let sh = |cmd: &str| {
        Command::new("sh")
            .args(["-c", cmd])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    println!("# kaizen benchmarks\n");
    println!("- command: `cargo bench --bench kaizen`");
    println!("- nproc: {}", sh("nproc"));
    println!(
        "- CPU: {}",
        sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")
    );
    println!(
        "- memory: {}",
        sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    );
    println!("- rustc: {}", sh("rustc --version"));
}

type Targets = Vec<(String, String, bool)>;

fn in_process(plan: &Plan, targets: &mut Targets) {
    println!("\n## In-process jail\n");
    println!(
        "Floor: a plain loop calling the same function and serializing the outputs to YAML in \
         memory. Functions: `cheap` takes `(u32, u32)`, `moderate` takes `(u32, String)`, `struct` \
         takes a four-field struct (`u32`, `String`, `u16`, `bool`). Record and verify go through `Jail::run_with` (`KAIZEN_UPDATE=auto`, not CI), \
         snapshot on disk. Peak memory: a fresh process per figure; \"during\" is the growth \
         over the resident size just before the call (the user's `Cases` already built), \
         \"process\" the whole process's peak.\n"
    );
    println!(
        "| function | cases | floor | record | ×floor | verify | ×floor | snapshot | verify peak during / process | ×snapshot | record peak during / process | ×snapshot |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    for workload in &plan.workloads {
        let mut per_case_100k = None;
        for &n in &plan.sizes {
            let reps = plan.reps(n);
            let row = match workload.as_str() {
                "cheap" => jails::measure(
                    "cheap",
                    jails::cheap,
                    &jails::cheap_inputs(n),
                    reps,
                    dir.path(),
                    true,
                ),
                "struct" => jails::measure(
                    "struct",
                    jails::priced,
                    &jails::struct_inputs(n),
                    reps,
                    dir.path(),
                    true,
                ),
                _ => jails::measure(
                    "moderate",
                    jails::moderate,
                    &jails::moderate_inputs(n),
                    reps,
                    dir.path(),
                    true,
                ),
            };
            let vp = row.verify_peak.expect("measured");
            let rp = row.record_peak.expect("measured");
            let snap = row.snapshot_bytes as f64;
            println!(
                "| {} | {} | {} | {} | {:.2} | {} | {:.2} | {} | {} / {} | {:.2} / {:.2} | {} / {} | {:.2} |",
                row.workload,
                n,
                show(row.floor),
                show(row.record),
                ratio(row.record, row.floor),
                show(row.verify),
                ratio(row.verify, row.floor),
                mb(row.snapshot_bytes),
                mb(vp.during),
                mb(vp.process),
                vp.during as f64 / snap,
                vp.process as f64 / snap,
                mb(rp.during),
                mb(rp.process),
                rp.process as f64 / snap,
            );
            in_process_targets(workload, n, &row, &vp, &rp, &mut per_case_100k, targets);
        }
    }
}

/// The targets one in-process row decides.
fn in_process_targets(
    workload: &str,
    n: usize,
    row: &jails::Row,
    vp: &measure::Peak,
    rp: &measure::Peak,
    per_case_100k: &mut Option<f64>,
    targets: &mut Targets,
) {
    let snap = row.snapshot_bytes as f64;
    let per_case = row.verify.as_secs_f64() / n as f64;
    if n == 100_000 {
        *per_case_100k = Some(per_case);
    }
    if workload == "cheap" && n == 100_000 {
        let r = ratio(row.verify, row.floor);
        targets.push((
            "verify 100k cheap cases ≤ 3× floor".into(),
            format!("{r:.2}×"),
            r <= 3.0,
        ));
    }
    if n != 1_000_000 {
        return;
    }
    let (during, process) = (vp.during as f64 / snap, vp.process as f64 / snap);
    let inputs = match workload {
        "cheap" => "(u32, u32)",
        "moderate" => "(u32, String)",
        _ => "a small struct",
    };
    targets.push((
        format!("verify 1M {inputs} cases: growth during the call ≤ 1.5× snapshot, process ≤ 2×"),
        format!(
            "{during:.2}× / {process:.2}× ({} / {} for a {} snapshot)",
            mb(vp.during),
            mb(vp.process),
            mb(row.snapshot_bytes)
        ),
        during <= 1.5 && process <= 2.0,
    ));
    if let Some(base) = *per_case_100k {
        let r = per_case / base;
        targets.push((
            format!("verify {inputs}: time per case at 1M ≤ 1.2× that at 100k"),
            format!("{r:.2}×"),
            r <= 1.2,
        ));
    }
    let r = ratio(row.record, row.floor);
    let peak = rp.process as f64 / snap;
    targets.push((
        format!("record 1M {inputs} cases ≤ 5× floor, peak memory ≤ 2× snapshot"),
        format!(
            "{r:.2}× floor, {peak:.2}× snapshot ({} process peak)",
            mb(rp.process)
        ),
        r <= 5.0 && peak <= 2.0,
    ));
}

fn insta(plan: &Plan, targets: &mut Targets) {
    println!("\n## Against insta (cheap function)\n");
    println!(
        "Check time of existing snapshots: kaizen verify (one `.snap`), insta with one snapshot \
         per case (`assert_yaml_snapshot!` per case), insta with one YAML snapshot of all \
         cases. Interleaved in the same run.\n"
    );
    println!("| cases | kaizen verify | insta per case | ×kaizen | insta one snapshot | ×kaizen |");
    println!("|---|---|---|---|---|---|");
    for &n in &plan.insta_sizes {
        let kdir = tempfile::tempdir().expect("temp dir");
        let per = tempfile::tempdir().expect("temp dir");
        let one = tempfile::tempdir().expect("temp dir");
        insta_cmp::create(per.path(), n, true);
        insta_cmp::create(one.path(), n, false);
        let inputs = jails::cheap_inputs(n);
        let jail =
            kaizen::Jail::new(format!("insta_cmp_{n}"), jails::cheap).snapshot_dir(kdir.path());
        let cases = kaizen::Cases::new().list(inputs);
        jail.run_with(&cases, jails::local()).expect("record");
        let mut kaizen = || {
            measure::time(|| {
                let v = jail.run_with(&cases, jails::local()).expect("verify");
                assert!(v.passed());
            })
            .0
        };
        let per_reps = if n >= 10_000 { 1 } else { 3 };
        let mut per_case = || insta_cmp::check_once(per.path(), n, true);
        let per_case_t = measure::interleaved(per_reps, &mut [&mut per_case])[0];
        let mut one_snapshot = || insta_cmp::check_once(one.path(), n, false);
        let m = measure::interleaved(plan.reps(n), &mut [&mut kaizen, &mut one_snapshot]);
        // kaizen once more right after the per-case run, so both see the same machine state.
        let k = measure::median(vec![m[0], kaizen()]);
        println!(
            "| {n} | {} | {} | {:.0} | {} | {:.1} |",
            show(k),
            show(per_case_t),
            ratio(per_case_t, k),
            show(m[1]),
            ratio(m[1], k)
        );
        if n == 10_000 {
            let r = ratio(per_case_t, k);
            targets.push((
                "≥ 20× faster than insta per-case at 10k".into(),
                format!("{r:.0}×"),
                r >= 20.0,
            ));
        }
    }
}

fn red_run(plan: &Plan, targets: &mut Targets) {
    println!("\n## A red run: every case changed, pending file written\n");
    println!(
        "The cheap function's snapshot verified by the function as recorded (green) and by a \
         refactoring that changed every result (red: `KAIZEN_UPDATE=auto`, local, so the pending \
         `.snap.new` is written), interleaved in the same run. Peak memory as above, a fresh \
         process per figure.\n"
    );
    println!(
        "| cases | green verify | red verify + pending | ×green | snapshot | pending | green peak during | red peak during | red ×snapshot |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    for &n in plan.sizes.iter().filter(|&&n| n >= 100_000) {
        let row = red::measure(n, plan.reps(n), dir.path());
        let r = ratio(row.red, row.green);
        let m = row.red_peak.during as f64 / row.snapshot_bytes as f64;
        println!(
            "| {n} | {} | {} | {r:.2} | {} | {} | {} | {} | {m:.2} |",
            show(row.green),
            show(row.red),
            mb(row.snapshot_bytes),
            mb(row.pending_bytes),
            mb(row.green_peak.during),
            mb(row.red_peak.during),
        );
        targets.push((
            format!("red verify {n} cases (pending written) ≤ 2× green verify"),
            format!("{r:.2}×"),
            r <= 2.0,
        ));
        targets.push((
            format!("red verify {n} cases: peak memory during ≤ 2× snapshot"),
            format!(
                "{m:.2}× ({} during the call for a {} snapshot; process peak {})",
                mb(row.red_peak.during),
                mb(row.snapshot_bytes),
                mb(row.red_peak.process)
            ),
            m <= 2.0,
        ));
    }
}

fn report(plan: &Plan, targets: &mut Targets) {
    println!("\n## Report of a 100,000-line output with 5 changed lines\n");
    let (k, s, lines) = diff::run(if plan.quick { 5 } else { 9 });
    println!(
        "| kaizen `report::diff` | raw similar (Histogram, unified, 3 lines context) | ×similar | report lines |"
    );
    println!("|---|---|---|---|");
    let r = ratio(k, s);
    println!("| {} | {} | {r:.2} | {lines} |", show(k), show(s));
    targets.push((
        "report on 100k-line output ≤ 1.5× raw similar, readable".into(),
        format!("{r:.2}×, {lines} lines"),
        r <= 1.5,
    ));
}

fn command_jail(plan: &Plan, targets: &mut Targets) {
    println!("\n## CLI: command jail\n");
    measure::settle();
    let dir = tempfile::tempdir().expect("temp dir");
    let (trivial, python) = if plan.quick { (200, 30) } else { (400, 60) };
    let m = cli::measure(if plan.quick { 1 } else { 5 }, dir.path(), trivial, python);
    println!(
        "End to end: the real `kaizen` binary built by cargo (release), run as \
         `kaizen --root <tmp> -jN verify <jail>` (snapshot present, all cases unchanged) and \
         `kaizen --root <tmp> -jN record --runs 1 <jail>`, against a bare `std::process::Command` \
         loop on N threads doing the same spawns (same absolute program path; spawn, write one \
         line on stdin, read stdout and stderr to the end, wait). Each case of the jail feeds \
         one line on stdin. kaizen's times include its own start-up, spec loading and snapshot \
         handling; `kaizen verify` of a one-case `cat` jail takes {} (median of {} runs). \
         Times are medians of interleaved runs. The section starts after `sync`, so it \
         does not pay for the writeback of the files earlier sections wrote.\n",
        show(m.startup),
        5
    );
    if let Some(why) = &m.python_missing {
        println!("Python rows skipped: {why}.\n");
    }
    println!(
        "| program | jobs | cases | bare loop | runs/s | kaizen verify | cases/s | ×bare | kaizen record | ×bare |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for row in &m.rows {
        let per_s = |d: std::time::Duration| row.cases as f64 / d.as_secs_f64();
        println!(
            "| {} | -j{} | {} | {} | {:.0} | {} | {:.0} | {:.2} | {} | {:.2} |",
            row.program,
            row.jobs,
            row.cases,
            show(row.bare),
            per_s(row.bare),
            show(row.verify),
            per_s(row.verify),
            ratio(row.verify, row.bare),
            show(row.record),
            ratio(row.record, row.bare),
        );
    }
    println!("\n| program | verify -j1 / -j2 speed-up | bare loop -j1 / -j2 speed-up |");
    println!("|---|---|---|");
    for pair in m.rows.chunks(2) {
        let [j1, j2] = pair else { continue };
        println!(
            "| {} | {:.2}× | {:.2}× |",
            j1.program,
            ratio(j1.verify, j2.verify),
            ratio(j1.bare, j2.bare)
        );
        let overhead = ratio(j1.verify, j1.bare);
        targets.push((
            format!("CLI verify -j1 ≤ 1.2× bare spawn loop, {}", j1.program),
            format!("{overhead:.2}×"),
            overhead <= 1.2,
        ));
        let speedup = ratio(j1.verify, j2.verify);
        targets.push((
            format!("CLI verify -j2 ≥ 1.7× faster than -j1, {}", j1.program),
            format!("{speedup:.2}× (bare loop: {:.2}×)", ratio(j1.bare, j2.bare)),
            speedup >= 1.7,
        ));
    }
}

fn bare_names(plan: &Plan, targets: &mut Targets) {
    println!("\n## CLI: bare program names and the README demo\n");
    measure::settle();
    let reps = if plan.quick { 1 } else { 5 };
    let dir = tempfile::tempdir().expect("temp dir");
    let printf = bare_name::printf(
        reps,
        &dir.path().join("printf"),
        if plan.quick { 200 } else { 400 },
    );
    let demo_dir = tempfile::tempdir().expect("temp dir");
    let demo = bare_name::demo(reps, demo_dir.path());
    println!(
        "A spec naming its program bare, as users write it: `command: [printf, \"%s\\n\"]`, one \
         argument per case, against `xargs -P J -n 1 printf '%s\\n'` running the same processes \
         (xargs also looks the name up on PATH). Then the README demo's own spec \
         (`jail/report.yaml`, `command: [python3, \"{{jail}}/report.py\"]`, its cases with their \
         arguments, stdin and files) against a plain loop on J threads running the same cases \
         (the same `python3` file, a fresh directory per case, stdout and stderr read to the end). \
         kaizen's times include its start-up, spec loading and snapshot handling. Medians of \
         interleaved runs.\n"
    );
    if demo.is_none() {
        println!("README demo rows skipped: python3 is not on PATH.\n");
    }
    println!(
        "| program | baseline | cases | baseline -j1 | kaizen verify -j1 | ×baseline | baseline -j2 | kaizen verify -j2 | ×baseline | verify -j1 / -j2 speed-up | baseline speed-up |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for pair in std::iter::once(&printf).chain(demo.as_ref()) {
        let j1 = ratio(pair.verify[0], pair.bare[0]);
        let speedup = ratio(pair.verify[0], pair.verify[1]);
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {} | {} | {:.2} | {:.2}× | {:.2}× |",
            pair.program,
            pair.baseline,
            pair.cases,
            show(pair.bare[0]),
            show(pair.verify[0]),
            j1,
            show(pair.bare[1]),
            show(pair.verify[1]),
            ratio(pair.verify[1], pair.bare[1]),
            speedup,
            ratio(pair.bare[0], pair.bare[1]),
        );
        targets.push((
            format!("CLI verify -j1 ≤ 1.1× {}, {}", pair.baseline, pair.program),
            format!("{j1:.2}×"),
            j1 <= 1.1,
        ));
        targets.push((
            format!("CLI verify -j2 ≥ 1.75× faster than -j1, {}", pair.program),
            format!(
                "{speedup:.2}× (baseline: {:.2}×)",
                ratio(pair.bare[0], pair.bare[1])
            ),
            speedup >= 1.75,
        ));
    }
}
