//! Stateful jails: an object built from a recorded input and driven by sequences of calls,
//! recorded step by step; panics mid-sequence, isolation, timeouts, the oracle and shrinking
//! of sequences.

use std::path::PathBuf;
use std::time::Duration;

use kaizen::cases::harvest::harvest_str;
use kaizen::env::{Environment, UpdateMode};
use kaizen::stateful::{Sequence, Stateful, StepOutcome, sequences};
use kaizen::{Cases, report};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

mod common;

/// A small legacy scorer: points per player name, a game won at four points two ahead.
struct Game {
    names: (String, String),
    points: (u32, u32),
}

impl Game {
    fn new(a: &str, b: &str) -> Game {
        assert!(!a.is_empty() && !b.is_empty(), "players need names");
        Game {
            names: (a.into(), b.into()),
            points: (0, 0),
        }
    }

    fn won_point(&mut self, player: &str) {
        if player == self.names.0 {
            self.points.0 += 1;
        } else if player == self.names.1 {
            self.points.1 += 1;
        } else {
            panic!("no player called {player:?}");
        }
    }

    fn score(&self) -> String {
        let (a, b) = self.points;
        let names = ["Love", "Fifteen", "Thirty", "Forty"];
        if a >= 3 && b >= 3 {
            return match a as i64 - b as i64 {
                0 => "Deuce".into(),
                1 => format!("Advantage {}", self.names.0),
                -1 => format!("Advantage {}", self.names.1),
                d if d > 0 => format!("Win for {}", self.names.0),
                _ => format!("Win for {}", self.names.1),
            };
        }
        if a >= 4 {
            return format!("Win for {}", self.names.0);
        }
        if b >= 4 {
            return format!("Win for {}", self.names.1);
        }
        format!("{}-{}", names[a as usize], names[b as usize])
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Op {
    WonPoint(String),
    Score,
}

type Tennis = Stateful<(String, String), Game, Op, Option<String>, String>;

fn tennis() -> Tennis {
    Stateful::new(
        |(a, b): (String, String)| Game::new(&a, &b),
        |game: &mut Game, op: Op| match op {
            Op::WonPoint(player) => {
                game.won_point(&player);
                None
            }
            Op::Score => Some(game.score()),
        },
    )
    .observe(|game: &Game| game.score())
}

fn players() -> (String, String) {
    ("player1".into(), "player2".into())
}

fn points(names: &[&str]) -> Sequence<(String, String), Op> {
    Sequence::new(players(), names.iter().map(|n| Op::WonPoint(n.to_string())))
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("stateful")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn each_step_records_what_the_call_returned_and_the_state_after_it() {
    let trace = tennis().replay(Sequence::new(
        players(),
        [
            Op::WonPoint("player1".into()),
            Op::Score,
            Op::WonPoint("player2".into()),
        ],
    ));
    let outcomes: Vec<_> = trace.steps.iter().map(|s| s.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [
            StepOutcome::Returned(None),
            StepOutcome::Returned(Some("Fifteen-Love".into())),
            StepOutcome::Returned(None),
        ]
    );
    let states: Vec<_> = trace.steps.iter().map(|s| s.state.clone()).collect();
    assert_eq!(
        states,
        [
            Some("Fifteen-Love".to_string()),
            Some("Fifteen-Love".into()),
            Some("Fifteen-Fifteen".into())
        ]
    );
    assert_eq!(trace.not_run, 0);
}

#[test]
fn a_panic_mid_sequence_keeps_the_steps_before_it_and_runs_no_later_step() {
    let dir = scratch("panic");
    let jail = tennis().jail("tennis_panic").snapshot_dir(&dir);
    let cases = Cases::new().list([points(&[
        "player1", "player2", "nobody", "player1", "player2",
    ])]);
    let verdict = jail
        .run_with(&cases, common::local(UpdateMode::Auto))
        .unwrap();
    assert!(verdict.passed());
    let snapshot = std::fs::read_to_string(dir.join("tennis_panic.snap")).unwrap();
    let body = snapshot.split("\n---\n").nth(1).unwrap();
    assert!(
        body.ends_with(
            "  returned:\n  - step: 1\n    returned: null\n    state: Fifteen-Love\n\
             \x20 - step: 2\n    returned: null\n    state: Fifteen-Fifteen\n\
             \x20 - step: 3\n    panicked: no player called \"nobody\"\n\
             \x20 - not_run_after_panic: 2\n"
        ),
        "{body}"
    );
}

#[test]
fn a_constructor_that_panics_is_step_zero_and_no_operation_runs() {
    let trace = tennis().replay(Sequence::new(
        (String::new(), "b".into()),
        [Op::Score, Op::Score],
    ));
    assert_eq!(trace.steps.len(), 1);
    assert_eq!(trace.steps[0].number, 0);
    assert_eq!(
        trace.steps[0].outcome,
        StepOutcome::Panicked("players need names".into())
    );
    assert_eq!(trace.not_run, 2);
}

fn seeded_ops() -> impl Strategy<Value = Op> + Send + Sync + 'static {
    let source = r#"fn serve(p: &str) -> bool { p == "player1" || p == "player2" }"#;
    let pools = harvest_str(source, "tennis.rs").unwrap();
    prop_oneof![
        5 => pools.strategy::<String>().prop_map(Op::WonPoint),
        1 => Just(Op::Score),
    ]
}

/// Points won by either player, now and then a look at the score.
fn rally() -> impl Strategy<Value = Op> + Send + Sync + 'static {
    prop_oneof![
        3 => Just(Op::WonPoint("player1".into())),
        3 => Just(Op::WonPoint("player2".into())),
        1 => Just(Op::Score),
    ]
}

#[test]
fn generated_sequences_record_then_verify_and_a_changed_rule_fails_the_check() {
    let dir = scratch("generated");
    let cases = Cases::new().proptest(sequences(Just(players()), rally(), 1..=20), 60);
    let jail = tennis().jail("tennis").snapshot_dir(&dir);
    let local = common::local(UpdateMode::Auto);
    assert!(jail.run_with(&cases, local.clone()).unwrap().passed());
    let again = jail.run_with(&cases, local.clone()).unwrap();
    // Short sequences drawn twice are recorded once.
    assert_eq!((again.same, again.changed), (again.total, 0));
    assert!(again.total > 50, "{}", again.total);

    // A refactoring that forgets "two ahead": a win at 4-3.
    let verdict = slipped_tennis()
        .jail("tennis")
        .snapshot_dir(&dir)
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.changed > 0, "{}", report::render(&verdict, false));
    let text = report::render(&verdict, false);
    // The first case shown (after the summary and the groups) opens with its headline.
    let mut lines = text.lines().skip_while(|l| !l.starts_with("case "));
    let headline = lines.nth(1).unwrap();
    assert!(
        headline.starts_with("  step ") && headline.contains(" — recorded "),
        "{text}"
    );
    assert!(headline.contains("\"Win for player"), "{text}");

    // The machine-readable reports name the same step.
    let step = headline.trim().to_string();
    let results = [report::JailResult {
        name: "tennis".into(),
        spec: "tests/stateful.rs".into(),
        result: Ok(verdict),
    }];
    let json: serde_json::Value =
        serde_json::from_str(&report::json::render(&dir, &results)).unwrap();
    let first = &json["jails"][0]["differences"][0];
    assert_eq!(first["headline"].as_str(), Some(step.as_str()), "{json}");
    let junit = report::junit::render(&dir, &results);
    assert!(junit.contains(" changed at step "), "{junit}");
}

#[test]
fn ten_shown_cases_of_four_hundred_steps_make_a_short_report() {
    let dir = scratch("long");
    let cases = Cases::new().proptest(sequences(Just(players()), rally(), 400..=400), 10);
    let jail = tennis().jail("tennis_long").snapshot_dir(&dir);
    let local = common::local(UpdateMode::Auto);
    assert!(jail.run_with(&cases, local).unwrap().passed());
    let verdict = slipped_tennis()
        .jail("tennis_long")
        .snapshot_dir(&dir)
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.differences.len(), 10);
    let text = report::render(&verdict, false);
    let lines = text.lines().count();
    assert!(lines < 400, "{lines} lines:\n{text}");
    assert_eq!(text.matches(" of 400: WonPoint(").count(), 10, "{text}");
    assert!(text.matches("not shown").count() >= 20, "{text}");
}

fn slipped_tennis() -> Tennis {
    Stateful::new(
        |(a, b): (String, String)| Game::new(&a, &b),
        |game: &mut Game, op: Op| match op {
            Op::WonPoint(player) => {
                game.won_point(&player);
                None
            }
            Op::Score => Some(slipped_score(game)),
        },
    )
    .observe(slipped_score)
}

fn slipped_score(game: &Game) -> String {
    match game.points {
        (a, b) if a >= 4 && a > b => format!("Win for {}", game.names.0),
        (a, b) if b >= 4 && b > a => format!("Win for {}", game.names.1),
        _ => game.score(),
    }
}

#[test]
fn random_operation_arguments_almost_never_name_a_player_but_seeded_ones_do() {
    let random = Cases::new().proptest(
        sequences(
            Just(players()),
            any::<String>().prop_map(Op::WonPoint),
            1..=5,
        ),
        100,
    );
    let seeded = Cases::new().proptest(sequences(Just(players()), seeded_ops(), 1..=5), 100);
    let scored = |cases: &Cases<Sequence<(String, String), Op>>| {
        cases
            .generate()
            .into_iter()
            .filter(|c| tennis().replay(c.input.clone()).steps[0].state.is_some())
            .count()
    };
    assert!(scored(&random) <= 2, "{}", scored(&random));
    assert!(scored(&seeded) > 30, "{}", scored(&seeded));
}

#[test]
fn the_stateful_oracle_shrinks_a_differing_sequence_to_the_shortest_one() {
    let slip = slipped_tennis();
    let cases = Cases::new().proptest(sequences(Just(players()), rally(), 1..=40), 50);
    let verdict = tennis()
        .oracle("tennis_oracle", &slip)
        .replay_recorded(false)
        .max_shown(1)
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.changed > 0);
    let shown = &verdict.differences[0];
    assert!(
        shown.shrunk.is_some(),
        "{}",
        report::render(&verdict, false)
    );
    // The smallest difference: four points to one player, three to the other, in some
    // order — seven steps, the last one the first where the versions part.
    let text = report::render(&verdict, false);
    assert_eq!(shown.input.matches("WonPoint").count(), 7, "{text}");
    let headline = shown.headline.as_deref().unwrap_or_default();
    assert!(
        headline.starts_with("step 7 of 7: WonPoint(\"player"),
        "{text}"
    );
    assert!(
        headline.contains(" — original state \"Advantage player"),
        "{text}"
    );
    assert!(
        headline.contains(", refactored state \"Win for player"),
        "{text}"
    );
}

#[test]
fn an_isolated_stateful_jail_records_a_sequence_that_hangs_as_a_timeout() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("stateful-isolated");
    std::fs::create_dir_all(&dir).unwrap();
    let sleepy = Stateful::new(
        |_: ()| 0u32,
        |n: &mut u32, pause_ms: u64| {
            std::thread::sleep(Duration::from_millis(pause_ms));
            *n += 1;
            *n
        },
    );
    let jail = sleepy
        .jail("sleepy")
        .isolated()
        .timeout(Duration::from_millis(1500))
        .snapshot_dir(&dir);
    let cases = Cases::new().list([
        Sequence::new((), [0, 0, 0]),
        Sequence::new((), [0, 60_000, 0]),
    ]);
    let always = Environment {
        mode: UpdateMode::Always,
        ..Environment::default()
    };
    let verdict = jail.run_with(&cases, always).unwrap();
    assert!(verdict.passed());
    let snapshot = std::fs::read_to_string(dir.join("sleepy.snap")).unwrap();
    assert!(
        snapshot.contains("  - step: 3\n    returned: 3\n"),
        "{snapshot}"
    );
    assert!(snapshot.contains("  timeout: 1.5s\n"), "{snapshot}");
}
