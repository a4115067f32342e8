//! Pairwise (all-pairs) covering arrays, and the full cartesian product.
//!
//! A jail with several parameters quickly has too many combinations to try them all. Most
//! defects need only two parameters to take particular values together, so a *pairwise* set
//! of cases — every value of every parameter meets every value of every other parameter in at
//! least one case — finds most of them with a tiny fraction of the cases.
//!
//! [`pairwise`] builds such a set deterministically with an IPOG-style greedy algorithm
//! (in-parameter-order growth: start from the cartesian product of the two largest
//! parameters, then add one parameter at a time, first choosing its value in every existing
//! row, then adding rows for the pairs still missing), followed by a pass that drops rows
//! whose pairs are all covered elsewhere. Ties between equally good greedy choices are broken
//! by up to 32 attempts with fixed seeds, keeping the smallest result.
//!
//! Measured row counts (sizes written as `values^parameters`):
//!
//! | sizes            | cartesian product | pairwise rows |
//! |------------------|------------------:|--------------:|
//! | 2^3              |                 8 |             4 |
//! | 3^4              |                81 |             9 |
//! | 2^10             |             1,024 |             9 |
//! | 4^5              |             1,024 |            16 |
//! | 6^6              |            46,656 |            51 |
//! | 10^4             |            10,000 |           114 |
//! | 5 × 4 × 3 × 2    |               120 |            20 |

/// All value combinations of parameters with the given numbers of values, in odometer order:
/// the last parameter changes fastest.
///
/// No parameters give one empty row; a parameter with no values gives no rows.
///
/// ```
/// use kaizen::cases::pairwise::cartesian;
///
/// let rows: Vec<Vec<usize>> = cartesian(&[2, 3]).collect();
/// assert_eq!(rows, vec![
///     vec![0, 0], vec![0, 1], vec![0, 2],
///     vec![1, 0], vec![1, 1], vec![1, 2],
/// ]);
/// assert_eq!(cartesian(&[]).count(), 1);
/// assert_eq!(cartesian(&[3, 0]).count(), 0);
/// ```
pub fn cartesian(sizes: &[usize]) -> impl Iterator<Item = Vec<usize>> + use<> {
    Odometer {
        sizes: sizes.to_vec(),
        next: if sizes.contains(&0) {
            None
        } else {
            Some(vec![0; sizes.len()])
        },
    }
}

/// Iterator behind [`cartesian`].
struct Odometer {
    sizes: Vec<usize>,
    next: Option<Vec<usize>>,
}

impl Iterator for Odometer {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let mut following = current.clone();
        for position in (0..following.len()).rev() {
            following[position] += 1;
            if following[position] < self.sizes[position] {
                self.next = Some(following);
                break;
            }
            following[position] = 0;
        }
        Some(current)
    }
}

/// Rows of value indices (`row[i] < sizes[i]`) in which every value of every parameter
/// appears together with every value of every other parameter at least once.
///
/// The result is deterministic: the same sizes always give the same rows in the same order.
/// No parameters give one empty row, a single parameter gives one row per value, and a
/// parameter with no values gives no rows at all. The module documentation lists measured
/// row counts; six parameters of six values each need 51 rows instead of 46,656.
///
/// ```
/// use kaizen::cases::pairwise::pairwise;
///
/// let rows = pairwise(&[3, 3, 3, 3]);
/// assert_eq!(rows.len(), 9); // instead of 81
/// for (i, j) in [(0, 1), (0, 3), (2, 3)] {
///     for a in 0..3 {
///         for b in 0..3 {
///             assert!(rows.iter().any(|row| row[i] == a && row[j] == b));
///         }
///     }
/// }
/// ```
pub fn pairwise(sizes: &[usize]) -> Vec<Vec<usize>> {
    if sizes.contains(&0) {
        return Vec::new();
    }
    if sizes.len() < 3 {
        return cartesian(sizes).collect();
    }
    // Work on the parameters in decreasing size (stable, so ties keep their order): the
    // largest pair fixes the unavoidable minimum of rows early.
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]));
    let sorted: Vec<usize> = order.iter().map(|&p| sizes[p]).collect();

    // Greedy choices often tie; a few fixed-seed attempts that break ties differently give
    // noticeably smaller arrays. The number of attempts shrinks as the problem grows.
    let largest = sorted[0] * sorted[1];
    let work = largest * sorted.len() * sorted.len() * sorted[0];
    let attempts = (4_000_000 / work).clamp(1, ATTEMPTS);
    let mut rows = drop_redundant_rows(&sorted, grow(&sorted, 0));
    for seed in 1..attempts as u64 {
        let candidate = drop_redundant_rows(&sorted, grow(&sorted, seed));
        if candidate.len() < rows.len() {
            rows = candidate;
        }
    }

    rows.into_iter()
        .map(|row| {
            let mut original = vec![0; sizes.len()];
            for (position, &parameter) in order.iter().enumerate() {
                original[parameter] = row[position];
            }
            original
        })
        .collect()
}

/// Most greedy attempts [`pairwise`] makes; the smallest result wins (the first on ties).
const ATTEMPTS: usize = 32;

/// Small fixed-seed generator (xorshift64*) used only to break ties between equally good
/// greedy choices, so results stay deterministic.
struct TieBreaker(u64);

impl TieBreaker {
    /// Seed 0 never draws: ties go to the least used, then the lowest value.
    fn new(seed: u64) -> Self {
        TieBreaker(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Whether the `count`-th tie (counting from 2) should replace the current choice, so
    /// that every tie is equally likely to win.
    fn replace(&mut self, count: u64) -> bool {
        if self.0 == 0 {
            return false;
        }
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0
            .wrapping_mul(0x2545_F491_4F6C_DD1D)
            .is_multiple_of(count)
    }
}

/// In-parameter-order growth over parameters already sorted by decreasing size. Slots left
/// open ("don't care") are filled with value 0 at the end.
fn grow(sizes: &[usize], seed: u64) -> Vec<Vec<usize>> {
    let mut ties = TieBreaker::new(seed);
    let mut rows: Vec<Vec<Option<usize>>> = cartesian(&sizes[..2])
        .map(|row| {
            let mut full = vec![None; sizes.len()];
            full[0] = Some(row[0]);
            full[1] = Some(row[1]);
            full
        })
        .collect();

    for (k, &size_k) in sizes.iter().enumerate().skip(2) {
        // uncovered[j][a * size_k + v]: the pair (param j = a, param k = v) is still missing.
        let mut uncovered: Vec<Vec<bool>> = sizes[..k]
            .iter()
            .map(|&size_j| vec![true; size_j * size_k])
            .collect();
        let mut uses = vec![0usize; size_k];

        // Horizontal growth: give parameter k the value that covers most missing pairs.
        for row in &mut rows {
            let mut best = 0;
            let mut best_key = (0, 0);
            let mut tied = 1;
            for v in 0..size_k {
                let gain = (0..k)
                    .filter(|&j| row[j].is_some_and(|a| uncovered[j][a * size_k + v]))
                    .count();
                // More newly covered pairs first, then the value used least so far.
                let key = (gain, usize::MAX - uses[v]);
                if v == 0 || key > best_key {
                    best = v;
                    best_key = key;
                    tied = 1;
                } else if key == best_key {
                    tied += 1;
                    if ties.replace(tied) {
                        best = v;
                    }
                }
            }
            row[k] = Some(best);
            uses[best] += 1;
            for j in 0..k {
                if let Some(a) = row[j] {
                    uncovered[j][a * size_k + best] = false;
                }
            }
        }

        // Vertical growth: place each missing pair in an open slot, or in a new row.
        for j in 0..k {
            for a in 0..sizes[j] {
                for v in 0..size_k {
                    if !uncovered[j][a * size_k + v] {
                        continue;
                    }
                    let open = rows
                        .iter_mut()
                        .find(|row| row[k] == Some(v) && row[j].is_none());
                    match open {
                        Some(row) => row[j] = Some(a),
                        None => {
                            let mut row = vec![None; sizes.len()];
                            row[j] = Some(a);
                            row[k] = Some(v);
                            rows.push(row);
                        }
                    }
                    uncovered[j][a * size_k + v] = false;
                }
            }
        }
    }

    rows.into_iter()
        .map(|row| row.into_iter().map(|slot| slot.unwrap_or(0)).collect())
        .collect()
}

/// Removes, from the last row backwards, every row whose pairs all appear in other rows.
fn drop_redundant_rows(sizes: &[usize], rows: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    let pair_slot = |i: usize, j: usize, a: usize, b: usize| (i, j, a * sizes[j] + b);
    let mut counts: Vec<Vec<Vec<u32>>> = (0..sizes.len())
        .map(|i| {
            (0..sizes.len())
                .map(|j| vec![0; sizes[i] * sizes[j]])
                .collect()
        })
        .collect();
    let pairs_of = |row: &[usize]| {
        let mut pairs = Vec::new();
        for i in 0..row.len() {
            for j in i + 1..row.len() {
                pairs.push(pair_slot(i, j, row[i], row[j]));
            }
        }
        pairs
    };
    for row in &rows {
        for (i, j, slot) in pairs_of(row) {
            counts[i][j][slot] += 1;
        }
    }
    let mut keep = vec![true; rows.len()];
    for index in (0..rows.len()).rev() {
        let pairs = pairs_of(&rows[index]);
        if pairs.iter().all(|&(i, j, slot)| counts[i][j][slot] > 1) {
            keep[index] = false;
            for (i, j, slot) in pairs {
                counts[i][j][slot] -= 1;
            }
        }
    }
    rows.into_iter()
        .zip(keep)
        .filter_map(|(row, kept)| kept.then_some(row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn missing_pair(sizes: &[usize], rows: &[Vec<usize>]) -> Option<(usize, usize, usize, usize)> {
        for i in 0..sizes.len() {
            for j in i + 1..sizes.len() {
                for a in 0..sizes[i] {
                    for b in 0..sizes[j] {
                        if !rows.iter().any(|row| row[i] == a && row[j] == b) {
                            return Some((i, j, a, b));
                        }
                    }
                }
            }
        }
        None
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn pairs_of_every_two_parameters_are_all_covered(
            sizes in proptest::collection::vec(1usize..=6, 1..=6)
        ) {
            let rows = pairwise(&sizes);
            for row in &rows {
                prop_assert_eq!(row.len(), sizes.len());
                for (value, size) in row.iter().zip(&sizes) {
                    prop_assert!(value < size, "{row:?} out of range for {sizes:?}");
                }
            }
            prop_assert_eq!(missing_pair(&sizes, &rows), None);
            let product: usize = sizes.iter().product();
            prop_assert!(rows.len() <= product);
        }
    }

    #[test]
    fn six_parameters_of_six_values_need_at_most_sixty_rows() {
        let rows = pairwise(&[6; 6]);
        assert_eq!(rows.len(), 51);
        assert_eq!(missing_pair(&[6; 6], &rows), None);
    }

    #[test]
    fn row_counts_match_the_measured_table() {
        let cases: [(&[usize], usize); 7] = [
            (&[2, 2, 2], 4),
            (&[3, 3, 3, 3], 9),
            (&[2; 10], 9),
            (&[4; 5], 16),
            (&[6; 6], 51),
            (&[10; 4], 114),
            (&[5, 4, 3, 2], 20),
        ];
        for (sizes, expected) in cases {
            let rows = pairwise(sizes);
            assert_eq!(missing_pair(sizes, &rows), None, "{sizes:?}");
            assert_eq!(rows.len(), expected, "{sizes:?}");
        }
    }

    #[test]
    fn four_parameters_of_three_values_need_at_most_eleven_rows() {
        assert!(pairwise(&[3; 4]).len() <= 11);
    }

    #[test]
    fn no_parameters_give_one_empty_row() {
        assert_eq!(pairwise(&[]), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn one_parameter_gives_one_row_per_value() {
        assert_eq!(pairwise(&[3]), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn two_parameters_give_their_cartesian_product() {
        let expected: Vec<Vec<usize>> = cartesian(&[3, 2]).collect();
        assert_eq!(pairwise(&[3, 2]), expected);
    }

    #[test]
    fn a_parameter_without_values_gives_no_rows() {
        assert!(pairwise(&[3, 0, 2]).is_empty());
        assert!(pairwise(&[0]).is_empty());
    }

    #[test]
    fn the_same_sizes_always_give_the_same_rows() {
        let sizes = [4, 2, 5, 3, 3];
        assert_eq!(pairwise(&sizes), pairwise(&sizes));
    }

    #[test]
    fn parameters_out_of_size_order_keep_their_positions() {
        let rows = pairwise(&[2, 5, 3]);
        assert!(
            rows.iter()
                .all(|row| row[0] < 2 && row[1] < 5 && row[2] < 3)
        );
        assert_eq!(missing_pair(&[2, 5, 3], &rows), None);
        assert_eq!(rows.len(), 15);
    }

    #[test]
    fn cartesian_turns_the_last_parameter_fastest() {
        let rows: Vec<Vec<usize>> = cartesian(&[2, 1, 2]).collect();
        assert_eq!(
            rows,
            vec![vec![0, 0, 0], vec![0, 0, 1], vec![1, 0, 0], vec![1, 0, 1]]
        );
    }

    #[test]
    fn cartesian_of_no_parameters_is_one_empty_row() {
        assert_eq!(
            cartesian(&[]).collect::<Vec<_>>(),
            vec![Vec::<usize>::new()]
        );
    }

    #[test]
    fn cartesian_with_an_empty_parameter_is_empty() {
        assert_eq!(cartesian(&[2, 0]).count(), 0);
    }

    #[test]
    fn cartesian_counts_the_product_of_sizes() {
        assert_eq!(cartesian(&[3, 4, 5]).count(), 60);
    }
}
