#!/usr/bin/env bash
# What adding kaizen costs a user's crate, side by side with insta.
#
# Builds two fresh scratch crates, each with one test and one dev-dependency:
#   with-kaizen  kaizen (this checkout, by path, default features) — a `Jail::check` test
#   with-insta   insta with the `yaml` feature                     — an `assert_yaml_snapshot!` test
# and prints, for each: the crates its test build compiles (`cargo tree`, the crate itself
# not counted), the wall time and the CPU time (user + system, all processes) of a clean
# `cargo test --no-run` (debug), and the wall time of the rebuild after the test file is
# touched. Builds alternate (insta, kaizen, insta, kaizen, …) so both see the same machine
# load; each figure is the median of RUNS builds (default 3). On a machine busy with other
# work the wall times swing; the CPU times stay comparable.
#
# Offline-capable: the crates resolve from the local registry cache (`--offline`), so run
# `cargo build` in this checkout once beforehand. Usage:
#   benches/build_cost.sh                 # 3 rounds
#   RUNS=1 benches/build_cost.sh          # one round
#   FEATURES=cli,harvest benches/build_cost.sh   # kaizen with more features
#   KEEP=1 benches/build_cost.sh          # keep the scratch folder (it is printed)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-3}"
features="${FEATURES:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kaizen-build-cost.XXXXXX")"
if [[ -z "${KEEP:-}" ]]; then
    trap 'rm -rf "$work"' EXIT
fi
# The scratch crates build on their own, never with this checkout's settings.
unset CARGO_TARGET_DIR CARGO_BUILD_JOBS RUSTFLAGS CARGO_INCREMENTAL

kaizen_dep="kaizen = { path = \"$repo\" }"
if [[ -n "$features" ]]; then
    kaizen_dep="kaizen = { path = \"$repo\", features = [\"${features//,/\", \"}\"] }"
fi

make_crate() { # NAME DEPENDENCY TEST_SOURCE
    mkdir -p "$work/$1/src" "$work/$1/tests"
    cat >"$work/$1/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.1.0"
edition = "2024"
publish = false

[dev-dependencies]
$2

[workspace]
EOF
    echo "pub fn shipping_cost(kg: u32, express: bool) -> u32 { let c = if kg > 20 { 499 + (kg - 20) * 150 } else { 499 }; if express { c * 2 - 1 } else { c } }" \
        >"$work/$1/src/lib.rs"
    printf '%s\n' "$3" >"$work/$1/tests/one.rs"
    (cd "$work/$1" && cargo generate-lockfile --offline --quiet)
}

make_crate with-kaizen "$kaizen_dep" '
use kaizen::{Cases, Jail};

#[test]
fn shipping_cost_is_characterized() {
    let jail = Jail::new("shipping_cost", |(kg, express): (u32, bool)| {
        with_kaizen::shipping_cost(kg, express)
    });
    jail.check(&Cases::new().combinations((vec![0, 1, 20, 21, 100], vec![false, true])));
}'

make_crate with-insta 'insta = { version = "1", features = ["yaml"] }' '
#[test]
fn shipping_cost_is_snapshotted() {
    let rows: Vec<(u32, bool, u32)> = [0, 1, 20, 21, 100]
        .into_iter()
        .flat_map(|kg| [false, true].map(|e| (kg, e, with_insta::shipping_cost(kg, e))))
        .collect();
    insta::assert_yaml_snapshot!(rows);
}'

crates() { # NAME: distinct packages its test build compiles, itself excluded
    (cd "$work/$1" && cargo tree --offline -e normal,build,dev --prefix none) |
        sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | grep -vc "^$1 v"
}

seconds() { # COMMAND…: "WALL CPU" in seconds, CPU = user + system of it and its children
    local TIMEFORMAT='%R %U %S' times
    times=$({ time "$@" >/dev/null 2>&1; } 2>&1)
    read -r wall user sys <<<"$times"
    echo "$wall $(echo "$user + $sys" | bc)"
}

build() { # NAME: "CLEAN_WALL CLEAN_CPU TOUCHED_WALL"
    local dir="$work/$1"
    rm -rf "$dir/target"
    local clean touched
    clean=$(seconds cargo test --offline --no-run --manifest-path "$dir/Cargo.toml")
    touch "$dir/tests/one.rs"
    touched=$(seconds cargo test --offline --no-run --manifest-path "$dir/Cargo.toml")
    echo "$clean ${touched% *}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -a kc kp ki ic ip ii
for ((i = 1; i <= runs; i++)); do
    read -r c p t < <(build with-insta)
    ic+=("$c") ip+=("$p") ii+=("$t")
    read -r c p t < <(build with-kaizen)
    kc+=("$c") kp+=("$p") ki+=("$t")
    echo "round $i/$runs: insta ${ic[-1]} s (cpu ${ip[-1]} s, rebuild ${ii[-1]} s)," \
        "kaizen ${kc[-1]} s (cpu ${kp[-1]} s, rebuild ${ki[-1]} s)" >&2
done

insta_clean=$(printf '%s\n' "${ic[@]}" | median)
kaizen_clean=$(printf '%s\n' "${kc[@]}" | median)
insta_cpu=$(printf '%s\n' "${ip[@]}" | median)
kaizen_cpu=$(printf '%s\n' "${kp[@]}" | median)
insta_touch=$(printf '%s\n' "${ii[@]}" | median)
kaizen_touch=$(printf '%s\n' "${ki[@]}" | median)
insta_crates=$(crates with-insta)
kaizen_crates=$(crates with-kaizen)

echo
echo "build cost of one test, median of $runs clean debug builds (cargo test --no-run)"
echo "kaizen features: ${features:-default}"
printf '%-12s %7s %12s %10s %12s\n' "crate" "crates" "clean build" "its cpu" "after touch"
printf '%-12s %7s %11.1fs %9.1fs %11.2fs\n' with-insta "$insta_crates" "$insta_clean" "$insta_cpu" "$insta_touch"
printf '%-12s %7s %11.1fs %9.1fs %11.2fs\n' with-kaizen "$kaizen_crates" "$kaizen_clean" "$kaizen_cpu" "$kaizen_touch"
printf 'ratio kaizen / insta: clean %.2f× (cpu %.2f×), after touch %.2f×\n' \
    "$(echo "$kaizen_clean / $insta_clean" | bc -l)" "$(echo "$kaizen_cpu / $insta_cpu" | bc -l)" \
    "$(echo "$kaizen_touch / $insta_touch" | bc -l)"
[[ -n "${KEEP:-}" ]] && echo "scratch crates kept in $work"
exit 0
