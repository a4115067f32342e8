//! The programs kaizen runs: time limits, process groups, arguments, case dirs.

use std::time::Duration;

use crate::harness::{Project, is_gone};

#[test]
fn a_hung_program_is_recorded_as_timeout_and_the_other_cases_still_run() {
    let project = Project::new("timeout");
    let out = project.kaizen(["record"]).run();
    out.code(0)
        .quiet()
        .stdout_is("hang: recorded 3 cases to snapshots/hang.snap\n");
    // Two runs of the hung case (the default --runs 2), 300ms each, not 100 s.
    assert!(out.elapsed < Duration::from_secs(10), "{out}");
    let snapshot = project.read("snapshots/hang.snap");
    assert!(
        snapshot.ends_with(
            "- input:\n    args:\n    - before\n  exit: 0\n  stdout: |\n    arg: before\n\
             - input:\n    args:\n    - hang\n    - '{root}/grandchildren.pid'\n  timeout: 300ms\n\
             - input:\n    args:\n    - after\n  exit: 0\n  stdout: |\n    arg: after\n"
        ),
        "{snapshot}"
    );

    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("hang: 3 cases — all same\n");

    // Every run of the hung case left a background `sleep 100`; none may outlive it.
    let pids: Vec<u32> = project
        .read("grandchildren.pid")
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 3, "two record runs and one verify run");
    for pid in pids {
        assert!(is_gone(pid), "the grandchild {pid} outlived its case");
    }
    assert!(project.left_in_tmp().is_empty());
}

#[test]
fn a_timeout_that_appears_is_named_in_the_report() {
    let project = Project::new("timeout");
    project.kaizen(["record"]).run().code(0);
    // A slip: now `after` hangs too.
    project.edit(
        "jail/hang.yaml",
        r#"if [ "$1" = hang ]"#,
        r#"if [ "$1" != before ]"#,
    );
    let out = project.kaizen(["verify"]).run();
    out.code(1)
        .stdout_has("hang: 3 cases — 2 same, 1 changed\n")
        .stdout_has("  a timeout appeared (exit 0 before)\n")
        .stdout_has("  - exit: 0\n  - stdout: |\n  -   arg: after\n  + timeout: 300ms\n");
}

#[test]
fn shell_metacharacters_in_args_reach_the_program_verbatim() {
    let project = Project::new("meta");
    project.kaizen(["record"]).run().code(0).quiet();
    let snapshot = project.read("snapshots/args.snap");
    let printed = "  stdout: |\n    [$HOME]\n    [`id`]\n    [$(id)]\n    [two words]\n    [; rm -rf /]\n    [*]\n    [\"dq\"]\n    [it's]\n    [|&>]\n    [\\n]\n    []\n    cwd: [case_dir]\n    input.txt\n";
    assert!(snapshot.ends_with(printed), "{snapshot}");
    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("args: 1 case — all same\n");
}

#[test]
fn a_case_gets_the_directory_an_earlier_case_left_as_made_and_none_is_left_at_exit() {
    let project = Project::new("reuse");
    project
        .kaizen(["-j1", "record", "--runs", "1"])
        .run()
        .code(0);
    let seen: Vec<String> = project.read("seen.txt").lines().map(String::from).collect();
    let [a, b, write, c, mode, d, folder, e, f] = &seen[..] else {
        panic!("one line per case: {seen:?}");
    };
    assert!(
        a == b && b == write,
        "untouched, the directory is handed on: {seen:?}"
    );
    assert_ne!(
        c, write,
        "a directory a file was written in is not: {seen:?}"
    );
    assert_eq!(mode, c, "{seen:?}");
    assert_ne!(d, mode, "nor one whose mode changed: {seen:?}");
    assert_eq!(folder, d, "{seen:?}");
    assert_ne!(e, folder, "nor one with a folder left in it: {seen:?}");
    assert_eq!(f, e, "{seen:?}");
    for dir in &seen {
        assert!(!std::path::Path::new(dir).exists(), "{dir} was not removed");
    }
    assert!(
        project.left_in_tmp().is_empty(),
        "{:?}",
        project.left_in_tmp()
    );
}

#[test]
fn each_case_with_files_runs_in_a_fresh_temp_dir_that_is_removed_afterwards() {
    let project = Project::new("meta");
    project.kaizen(["record"]).run().code(0);
    project.kaizen(["verify"]).run().code(0);
    let tmp = project.tmp().canonicalize().unwrap();
    let seen: Vec<String> = project.read("seen.txt").lines().map(String::from).collect();
    assert_eq!(
        seen.len(),
        3,
        "two record runs and one verify run: {seen:?}"
    );
    for (i, dir) in seen.iter().enumerate() {
        let dir = std::path::Path::new(dir);
        assert!(dir.starts_with(&tmp), "{} is not in TMPDIR", dir.display());
        assert!(!dir.exists(), "{} was not removed", dir.display());
        assert!(!seen[..i].contains(&seen[i]), "a case dir was reused");
    }
    assert!(
        project.left_in_tmp().is_empty(),
        "{:?}",
        project.left_in_tmp()
    );
}

#[test]
fn an_interrupted_run_stops_its_cases_leaves_nothing_behind_and_exits_130() {
    let project = Project::empty();
    let pids = project.root().join("pids");
    project.write(
        "jail/slow.yaml",
        format!(
            "command: [sh, -c, 'echo $$ >> \"{}\"; sleep 100 & wait']\ntimeout: 200s\ncases:\n  - args: [one]\n  - args: [two]\n",
            pids.display()
        ),
    );
    let mut command = crate::harness::hermetic();
    command
        .args(["-j2", "record", "slow"])
        .current_dir(project.root())
        .env("TMPDIR", project.tmp())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let kaizen = command.spawn().unwrap();
    let started = (0..500).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        std::fs::read_to_string(&pids).is_ok_and(|p| p.lines().count() == 2)
    });
    assert!(started, "the two cases never started");
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &kaizen.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let out = kaizen.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("kaizen: interrupted; 2 running case(s) stopped"),
        "{stderr}"
    );
    for pid in std::fs::read_to_string(&pids).unwrap().lines() {
        let pid: u32 = pid.trim().parse().unwrap();
        assert!(is_gone(pid), "case {pid} outlived the interrupted run");
    }
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
    assert!(
        project.left_in_tmp().is_empty(),
        "{:?}",
        project.left_in_tmp()
    );
}

/// Sends `signal` to `pid` with kill(1).
fn send(signal: &str, pid: u32) {
    let sent = std::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn two_hundred_interrupts_at_random_moments_leave_no_process_and_no_case_directory() {
    let project = Project::empty();
    let root = project.root();
    let (pids, canary) = (root.join("pids"), root.join("canary"));
    // Every case starts a background child that would write the canary a second later.
    project.write(
        "jail/busy.yaml",
        format!(
            "command: [sh, -c, '(sleep 1; echo late >> \"{}\") & echo $! >> \"{}\"; sleep 0.01', sh]\n\
             timeout: 20s\ncombinations:\n  args: [[a, b, c, d, e], [1, 2, 3, 4, 5]]\n",
            canary.display(),
            pids.display()
        ),
    );
    let signals = [("-INT", 130), ("-TERM", 143), ("-HUP", 129)];
    let trials = 200;
    for trial in 0..trials {
        let (signal, code) = signals[trial % 3];
        let mut kaizen = crate::harness::hermetic();
        kaizen
            .args(["-j2", "record", "--runs", "1", "busy"])
            .current_dir(&root)
            .env("TMPDIR", project.tmp())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut kaizen = kaizen.spawn().unwrap();
        // A moment between 0 and ~60 ms in: before, during and between cases.
        std::thread::sleep(Duration::from_micros((trial as u64 * 7919) % 60_000));
        send(signal, kaizen.id());
        let status = kaizen.wait().unwrap();
        // Exit 128 + signal; 0 if it finished first; or killed by the signal itself if it
        // came before kaizen set up its handler (when no case can have started yet).
        use std::os::unix::process::ExitStatusExt;
        assert!(
            [Some(code), Some(0)].contains(&status.code()) || status.signal() == Some(code - 128),
            "trial {trial}: {status:?}"
        );
        assert!(
            project.left_in_tmp().is_empty(),
            "trial {trial} left {:?}",
            project.left_in_tmp()
        );
    }
    // A survivor would write within a second.
    std::thread::sleep(Duration::from_millis(1500));
    let started = std::fs::read_to_string(&pids).unwrap_or_default();
    let children: Vec<u32> = started.lines().map(|l| l.trim().parse().unwrap()).collect();
    let alive: Vec<u32> = children.iter().copied().filter(|p| !is_gone(*p)).collect();
    assert_eq!(
        alive,
        Vec::<u32>::new(),
        "background children outlived kaizen"
    );
    assert!(
        !canary.exists(),
        "a background child wrote after kaizen exited"
    );
    eprintln!(
        "{trials} interrupts, {} background children started, none survived",
        children.len()
    );
}

#[test]
fn a_process_that_leaves_its_group_is_stopped_with_its_case() {
    let project = Project::empty();
    let root = project.root();
    let (pids, canary) = (root.join("pids"), root.join("canary"));
    // A double fork into a new session: the grandchild is in no group kaizen kills, and
    // its parent is gone at once.
    project.write(
        "jail/escape.yaml",
        format!(
            "command: [sh, -c, '(setsid sh -c \"echo \\$\\$ >> {pids}; sleep 1; echo late >> {canary}\" &); sleep 0.2; if [ \"$1\" = hang ]; then sleep 30; fi', sh]\n\
             timeout: 2s\ncases:\n  - args: [exit]\n  - args: [hang]\n",
            pids = pids.display(),
            canary = canary.display()
        ),
    );
    project
        .kaizen(["record", "--runs", "1", "escape"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("escape: recorded 2 cases to snapshots/escape.snap\n");
    std::thread::sleep(Duration::from_millis(1500));
    let escaped: Vec<u32> = std::fs::read_to_string(&pids)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(escaped.len(), 2, "one escapee per case");
    for pid in escaped {
        assert!(is_gone(pid), "the escaped process {pid} outlived its case");
    }
    assert!(
        !canary.exists(),
        "an escaped process wrote after its case ended"
    );
}

#[test]
fn an_interrupt_stops_the_processes_that_left_the_group_of_a_running_case() {
    let project = Project::empty();
    let root = project.root();
    let (pids, canary) = (root.join("pids"), root.join("canary"));
    // Each case starts a process in a new session (no fork: its parent is the case's own
    // shell, still alive and waiting for it) and a double-forked one whose parent is gone.
    project.write(
        "jail/escape.yaml",
        format!(
            "command: [sh, -c, 'setsid sh -c \"echo \\$\\$ >> {pids}; sleep 1; echo late >> {canary}\" & (setsid sh -c \"echo \\$\\$ >> {pids}; sleep 1; echo late >> {canary}\" &); wait', sh]\n\
             timeout: 60s\ncases:\n  - args: [one]\n  - args: [two]\n",
            pids = pids.display(),
            canary = canary.display()
        ),
    );
    let trials = 10;
    let mut escaped = 0;
    for trial in 0..trials {
        let _ = std::fs::remove_file(&pids);
        let mut command = crate::harness::hermetic();
        command
            .args(["-j2", "record", "--runs", "1", "escape"])
            .current_dir(&root)
            .env("TMPDIR", project.tmp())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let kaizen = command.spawn().unwrap();
        let started = (0..500).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            std::fs::read_to_string(&pids).is_ok_and(|p| p.lines().count() == 4)
        });
        assert!(started, "trial {trial}: the escapees never started");
        send("-TERM", kaizen.id());
        let out = kaizen.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(143),
            "trial {trial}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for pid in std::fs::read_to_string(&pids).unwrap().lines() {
            let pid: u32 = pid.trim().parse().unwrap();
            assert!(
                is_gone(pid),
                "trial {trial}: the escaped process {pid} outlived the interrupted run"
            );
            escaped += 1;
        }
        assert!(project.left_in_tmp().is_empty(), "trial {trial}");
    }
    // A survivor would write within a second.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !canary.exists(),
        "an escaped process wrote after kaizen exited"
    );
    assert_eq!(escaped, 4 * trials);
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}
