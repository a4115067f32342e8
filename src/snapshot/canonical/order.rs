//! The canonical order of captured values: see [`compare`].

use std::cmp::Ordering;

use super::content::{Content, Field};

impl Content {
    /// Rank of the kind of value, for [`compare`]: every integer width shares one.
    fn rank(&self) -> u8 {
        use Content::*;
        match self {
            Bool(_) => 0,
            I8(_) | I16(_) | I32(_) | I64(_) | I128(_) | U8(_) | U16(_) | U32(_) | U64(_)
            | U128(_) => 1,
            F32(_) | F64(_) => 2,
            Char(_) => 3,
            Str(_) => 4,
            Bytes(_) => 5,
            Absent => 6,
            Present(_) => 7,
            Unit => 8,
            UnitStruct(_) => 9,
            UnitVariant(_) => 10,
            NewtypeStruct(..) => 11,
            NewtypeVariant(..) => 12,
            Seq(..) => 13,
            Tuple(..) => 14,
            TupleStruct(..) => 15,
            TupleVariant(..) => 16,
            Map(..) => 17,
            Struct(..) => 18,
            StructVariant(..) => 19,
        }
    }

    /// An integer as a sortable pair: negatives first (their two's complement bits are
    /// monotone), then non-negatives by value.
    fn int(&self) -> Option<(bool, u128)> {
        use Content::*;
        let signed = |v: i128| (v >= 0, v as u128);
        Some(match *self {
            I8(v) => signed(v.into()),
            I16(v) => signed(v.into()),
            I32(v) => signed(v.into()),
            I64(v) => signed(v.into()),
            I128(v) => signed(v),
            U8(v) => (true, v.into()),
            U16(v) => (true, v.into()),
            U32(v) => (true, v.into()),
            U64(v) => (true, v.into()),
            U128(v) => (true, v),
            _ => return None,
        })
    }

    fn float(&self) -> Option<f64> {
        match *self {
            Content::F32(v) => Some(v.into()),
            Content::F64(v) => Some(v),
            _ => None,
        }
    }
}

/// The canonical order of two values: first by kind, then integers by value whatever their
/// width, floats by `total_cmp`, text and bytes by bytes, compounds by name and then element
/// by element.
pub(crate) fn compare(a: &Content, b: &Content) -> Ordering {
    use Content::*;
    let by_rank = a.rank().cmp(&b.rank());
    if by_rank != Ordering::Equal {
        return by_rank;
    }
    if let (Some(x), Some(y)) = (a.int(), b.int()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.float(), b.float()) {
        return x.total_cmp(&y);
    }
    match (a, b) {
        (Bool(x), Bool(y)) => x.cmp(y),
        (Char(x), Char(y)) => x.cmp(y),
        (Str(x), Str(y)) => x.cmp(y),
        (Bytes(x), Bytes(y)) => x.cmp(y),
        (Present(x), Present(y)) => compare(x, y),
        (UnitStruct(x), UnitStruct(y)) => x.cmp(y),
        (UnitVariant(x), UnitVariant(y)) => x.cmp(y),
        (NewtypeStruct(n, x), NewtypeStruct(m, y)) => n.cmp(m).then_with(|| compare(x, y)),
        (NewtypeVariant(v, x), NewtypeVariant(w, y)) => v.cmp(w).then_with(|| compare(x, y)),
        (Seq(_, x), Seq(_, y)) | (Tuple(_, x), Tuple(_, y)) => elements(x, y),
        (TupleStruct(n, _, x), TupleStruct(m, _, y)) => n.cmp(m).then_with(|| elements(x, y)),
        (TupleVariant(v, _, x), TupleVariant(w, _, y)) => v.cmp(w).then_with(|| elements(x, y)),
        (Map(_, x), Map(_, y)) => lexicographic(x, y, |(k, v), (l, w)| {
            compare(k, l).then_with(|| compare(v, w))
        }),
        (Struct(n, _, x), Struct(m, _, y)) => n.cmp(m).then_with(|| fields(x, y)),
        (StructVariant(v, _, x), StructVariant(w, _, y)) => v.cmp(w).then_with(|| fields(x, y)),
        _ => Ordering::Equal,
    }
}

fn elements(x: &[Content], y: &[Content]) -> Ordering {
    lexicographic(x, y, compare)
}

fn fields(x: &[Field], y: &[Field]) -> Ordering {
    lexicographic(x, y, |(n, a), (m, b)| {
        n.cmp(m).then_with(|| match (a, b) {
            (Some(a), Some(b)) => compare(a, b),
            _ => a.is_some().cmp(&b.is_some()),
        })
    })
}

fn lexicographic<T>(x: &[T], y: &[T], by: impl Fn(&T, &T) -> Ordering) -> Ordering {
    for (a, b) in x.iter().zip(y) {
        let o = by(a, b);
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}
