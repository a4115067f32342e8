//! Live oracle mode, shrinking and source-seeded inputs on the legacy `jail/loyalty.rs`.
//!
//! Run it with `cargo run --example oracle`; `tests/oracle.rs` runs it too and checks what
//! it prints.

#[path = "../jail/loyalty.rs"]
mod legacy;

use kaizen::cases::harvest::harvest_files;
use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Oracle, report};

type Purchase = (u32, String, u8, u8);

/// A refactoring of `legacy::loyalty_points` with a slip: `>` for `>=` at the big basket
/// threshold.
pub fn refactored_points((spend, tier, visits, weekday): Purchase) -> u32 {
    if tier == "STAFF" {
        return 0;
    }
    let base = spend / 100;
    let mut points = match tier.as_str() {
        "GOLD" => base * 2,
        "SILVER" => base + base / 2,
        _ => base,
    };
    if spend > 25_000 {
        points += 100;
    }
    points += match visits {
        21.. => 50,
        10..=20 => 20,
        _ => 0,
    };
    if weekday == 2 && tier == "GOLD" {
        points += 30;
    }
    if visits == 13 && tier == "SILVER" {
        points = points * 13 / 10;
    }
    points.min(5000)
}

/// The report of the original against the refactoring, on inputs seeded from the original.
pub fn report() -> String {
    // Literals of the jailed source, with their neighbours, per type.
    let pools = harvest_files(&["jail/loyalty.rs"]).expect("jail/loyalty.rs parses");
    let cases = Cases::new()
        .seed(1)
        .seeded_proptest::<Purchase>(&pools, 500);
    let oracle = Oracle::new(
        "loyalty",
        |(spend, tier, visits, weekday): Purchase| {
            legacy::loyalty_points(spend, &tier, visits, weekday)
        },
        refactored_points,
    )
    .max_shown(1);
    // In a test, `oracle.check(&cases)` fails with this report.
    let env = Environment {
        mode: UpdateMode::No,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let verdict = oracle
        .run_with(&cases, env)
        .expect("the inputs can be used");
    report::render(&verdict, false)
}

/// Prints the report.
pub fn main() {
    print!("{}", report());
}
