//! Index rows for combinations: the full cartesian product and a pairwise reduction.

/// Every combination of value indices, last parameter fastest.
pub fn cartesian(sizes: &[usize]) -> impl Iterator<Item = Vec<usize>> + use<> {
    let sizes = sizes.to_vec();
    let total: usize = if sizes.is_empty() { 1 } else { sizes.iter().product() };
    (0..total).map(move |mut n| {
        let mut row = vec![0; sizes.len()];
        for (i, size) in sizes.iter().enumerate().rev() {
            row[i] = n % size;
            n /= size;
        }
        row
    })
}

/// Rows covering every pair of values of every two parameters.
pub fn pairwise(sizes: &[usize]) -> Vec<Vec<usize>> {
    cartesian(sizes).collect()
}
