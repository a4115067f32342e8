//! Input pools seeded from the jailed source.
//!
//! Legacy code branches on the literals it compares against and computes with
//! (`if qty == 50 && code == "VIP"`). Random inputs rarely hit such values, so kaizen reads
//! the jailed source with `syn`, collects its literals and their neighbours into [`Pools`],
//! and mixes them into generated inputs with [`seeded`].
//!
//! What is harvested (literals in comments and attributes, doc comments included, are not):
//!
//! - each integer literal `n` (and negative literal `-n`) gives `n - 1`, `n`, `n + 1`; the
//!   pool always holds `-1`, `0` and `1`; byte literals `b'a'` count as integers;
//! - each float literal `f` gives `f`, the next representable values up and down (to catch
//!   `<` versus `<=`), and `f ± 0.01 × max(1, |f|)` (a value clearly on either side, for
//!   code that rounds); the pool always holds `0.0`;
//! - each string literal, byte string (if it is UTF-8) and C string, plus the empty string;
//! - each char literal;
//! - literals inside macro calls (`vec![1, 2]`, `matches!(c, 'x')`), read from their tokens,
//!   except the text of formatting macros (`println!`, `format!`, `assert!`, `panic!`, ...),
//!   whose format strings and messages are not inputs.
//!
//! Integer literals beyond `i128` (a `u128` above `i128::MAX`) are skipped.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, ExprUnary, Lit, UnOp};

mod typed;

pub use typed::{FromPool, seeded};

/// Literal values harvested from source code, with their neighbours.
///
/// ```
/// use kaizen::cases::harvest::harvest_str;
///
/// let pools = harvest_str("fn f(q: u32) -> bool { q == 50 }", "f.rs")?;
/// assert!(pools.ints().contains(&49) && pools.ints().contains(&51));
/// assert_eq!(pools.values::<u8>(), vec![0, 1, 49, 50, 51, 255]);
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pools {
    ints: BTreeSet<i128>,
    floats: Vec<f64>,
    strings: BTreeSet<String>,
    chars: BTreeSet<char>,
}

impl Pools {
    /// Integers: each literal and its neighbours, plus -1, 0 and 1.
    ///
    /// ```
    /// let pools = kaizen::cases::harvest::harvest_str("const N: i32 = -5;", "n.rs")?;
    /// assert_eq!(pools.ints().iter().copied().collect::<Vec<_>>(), vec![-6, -5, -4, -1, 0, 1]);
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn ints(&self) -> &BTreeSet<i128> {
        &self.ints
    }

    /// Floats, distinct by bits and sorted by `f64::total_cmp`.
    ///
    /// ```
    /// let pools = kaizen::cases::harvest::harvest_str("const R: f64 = 2.5;", "r.rs")?;
    /// assert!(pools.floats().contains(&2.5) && pools.floats().contains(&2.5f64.next_up()));
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn floats(&self) -> &[f64] {
        &self.floats
    }

    /// Strings: each literal, plus the empty string.
    ///
    /// ```
    /// let pools = kaizen::cases::harvest::harvest_str(r#"const C: &str = "VIP";"#, "c.rs")?;
    /// assert_eq!(pools.strings().iter().collect::<Vec<_>>(), ["", "VIP"]);
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn strings(&self) -> &BTreeSet<String> {
        &self.strings
    }

    /// Char literals.
    ///
    /// ```
    /// let pools = kaizen::cases::harvest::harvest_str("const C: char = 'x';", "c.rs")?;
    /// assert!(pools.chars().contains(&'x'));
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn chars(&self) -> &BTreeSet<char> {
        &self.chars
    }

    /// The pool for `T` together with `T`'s extreme values, without duplicates, in a stable
    /// sorted order (see [`FromPool`]).
    ///
    /// ```
    /// let pools = kaizen::cases::harvest::harvest_str("fn f(x: i64) -> bool { x > 300 }", "f.rs")?;
    /// assert_eq!(pools.values::<u8>(), vec![0, 1, 255]);
    /// assert_eq!(pools.values::<i16>(), vec![i16::MIN, -1, 0, 1, 299, 300, 301, i16::MAX]);
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn values<T: FromPool>(&self) -> Vec<T> {
        let mut values = T::pool(self);
        values.extend(T::type_min_max());
        T::arrange(&mut values);
        values
    }

    /// Adds everything in `other` to these pools.
    ///
    /// ```
    /// use kaizen::cases::harvest::harvest_str;
    ///
    /// let mut pools = harvest_str("const A: u8 = 10;", "a.rs")?;
    /// pools.absorb(&harvest_str("const B: u8 = 20;", "b.rs")?);
    /// assert!(pools.ints().contains(&10) && pools.ints().contains(&21));
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn absorb(&mut self, other: &Pools) {
        self.ints.extend(&other.ints);
        self.strings.extend(other.strings.iter().cloned());
        self.chars.extend(&other.chars);
        self.add_floats(other.floats.iter().copied());
    }

    fn add_int(&mut self, n: i128) {
        self.ints.extend(
            [n.checked_sub(1), Some(n), n.checked_add(1)]
                .into_iter()
                .flatten(),
        );
    }

    fn add_float(&mut self, f: f64) {
        let step = 0.01 * f.abs().max(1.0);
        let around = [f, f.next_down(), f.next_up(), f - step, f + step];
        self.add_floats(around.into_iter().filter(|v| v.is_finite()));
    }

    fn add_floats(&mut self, floats: impl IntoIterator<Item = f64>) {
        self.floats.extend(floats);
        self.floats.sort_by(f64::total_cmp);
        self.floats.dedup_by(|a, b| a.to_bits() == b.to_bits());
    }

    /// The values every harvest holds, even of a file without literals.
    fn with_basics() -> Pools {
        let mut pools = Pools::default();
        pools.ints.extend([-1, 0, 1]);
        pools.add_floats([0.0]);
        pools.strings.insert(String::new());
        pools
    }
}

/// Why source files could not be harvested.
///
/// ```
/// use kaizen::cases::harvest::harvest_str;
///
/// let error = harvest_str("fn f() {\n    let x = ;\n}", "legacy.rs").unwrap_err();
/// assert!(error.to_string().starts_with("legacy.rs:2:13: "));
/// ```
#[derive(Debug)]
pub enum HarvestError {
    /// A source file could not be read.
    Read {
        /// The file as it was named.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A source file is not valid Rust.
    Parse {
        /// The file as it was named.
        file: String,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the parser expected.
        message: String,
    },
}

impl fmt::Display for HarvestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarvestError::Read { path, source }
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                write!(
                    f,
                    "{}: no such file; name the Rust source files of the jailed legacy code \
                     (relative to the current directory, or absolute)",
                    path.display()
                )
            }
            HarvestError::Read { path, source } => write!(
                f,
                "{}: cannot read it ({source}); check that it is a readable Rust source file",
                path.display()
            ),
            HarvestError::Parse {
                file,
                line,
                column,
                message,
            } => write!(
                f,
                "{file}:{line}:{column}: not valid Rust ({message}); fix the syntax error or \
                 leave the file out of the harvest"
            ),
        }
    }
}

impl std::error::Error for HarvestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HarvestError::Read { source, .. } => Some(source),
            HarvestError::Parse { .. } => None,
        }
    }
}

/// Harvests the literals of several Rust source files into one set of pools.
///
/// ```
/// let dir = std::env::temp_dir().join("kaizen-harvest-doc");
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("legacy.rs");
/// std::fs::write(&file, "fn price(q: u32) -> u32 { if q > 10 { 9 } else { 10 } }")?;
/// let pools = kaizen::cases::harvest::harvest_files(&[&file])?;
/// assert!(pools.ints().contains(&11) && pools.ints().contains(&8));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn harvest_files(paths: &[impl AsRef<Path>]) -> Result<Pools, HarvestError> {
    let mut pools = Pools::with_basics();
    for path in paths {
        let path = path.as_ref();
        let source = std::fs::read_to_string(path).map_err(|source| HarvestError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        pools.absorb(&harvest_str(&source, &path.display().to_string())?);
    }
    Ok(pools)
}

/// Harvests the literals of Rust source text; `file_name` names it in errors.
///
/// ```
/// let pools = kaizen::cases::harvest::harvest_str(
///     r#"fn vip(qty: u32, code: &str) -> bool { qty == 50 && code == "VIP" }"#,
///     "vip.rs",
/// )?;
/// assert!([49, 50, 51].iter().all(|n| pools.ints().contains(n)));
/// assert!(pools.strings().contains("VIP"));
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
pub fn harvest_str(source: &str, file_name: &str) -> Result<Pools, HarvestError> {
    let file = syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        HarvestError::Parse {
            file: file_name.to_owned(),
            line: start.line,
            column: start.column + 1,
            message: error.to_string(),
        }
    })?;
    let mut harvester = Harvester {
        pools: Pools::with_basics(),
    };
    harvester.visit_file(&file);
    Ok(harvester.pools)
}

/// Macros whose string arguments are format strings or messages, not data.
const FORMATTING_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "write",
    "writeln",
];

struct Harvester {
    pools: Pools,
}

impl Harvester {
    fn literal(&mut self, lit: &Lit, negative: bool, with_text: bool) {
        let sign = if negative { "-" } else { "" };
        match lit {
            Lit::Int(int) => {
                if let Ok(n) = format!("{sign}{}", int.base10_digits()).parse::<i128>() {
                    self.pools.add_int(n);
                }
            }
            Lit::Float(float) => {
                if let Ok(f) = format!("{sign}{}", float.base10_digits()).parse::<f64>() {
                    self.pools.add_float(f);
                }
            }
            Lit::Byte(byte) => self.pools.add_int(i128::from(byte.value())),
            Lit::Char(c) => {
                self.pools.chars.insert(c.value());
            }
            Lit::Str(text) if with_text => {
                self.pools.strings.insert(text.value());
            }
            Lit::ByteStr(bytes) if with_text => {
                if let Ok(text) = String::from_utf8(bytes.value()) {
                    self.pools.strings.insert(text);
                }
            }
            Lit::CStr(text) if with_text => {
                if let Ok(text) = text.value().into_string() {
                    self.pools.strings.insert(text);
                }
            }
            _ => {}
        }
    }

    /// Literals in a macro's tokens; a `-` right before a number, at the start or after
    /// other punctuation, makes it negative.
    fn tokens(&mut self, tokens: TokenStream, with_text: bool) {
        let mut minus = false;
        let mut after_operand = false;
        for tree in tokens {
            match tree {
                TokenTree::Literal(literal) => {
                    self.literal(&Lit::new(literal), minus, with_text);
                    minus = false;
                    after_operand = true;
                }
                TokenTree::Punct(punct) => {
                    minus = punct.as_char() == '-' && !after_operand;
                    after_operand = false;
                }
                TokenTree::Group(group) => {
                    self.tokens(group.stream(), with_text);
                    minus = false;
                    after_operand = true;
                }
                TokenTree::Ident(_) => {
                    minus = false;
                    after_operand = true;
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Harvester {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Doc comments, cfg, derive and serde attributes are not inputs.
    }

    fn visit_lit(&mut self, lit: &'ast Lit) {
        self.literal(lit, false, true);
    }

    fn visit_expr_unary(&mut self, unary: &'ast ExprUnary) {
        if let (UnOp::Neg(_), Expr::Lit(inner)) = (&unary.op, &*unary.expr)
            && matches!(inner.lit, Lit::Int(_) | Lit::Float(_))
            && inner.attrs.is_empty()
        {
            self.literal(&inner.lit, true, true);
            return;
        }
        visit::visit_expr_unary(self, unary);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        let formatting = name.is_some_and(|name| FORMATTING_MACROS.contains(&name.as_str()));
        self.tokens(mac.tokens.clone(), !formatting);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn harvest(source: &str) -> Pools {
        harvest_str(source, "legacy.rs").unwrap()
    }

    fn ints(pools: &Pools) -> Vec<i128> {
        pools.ints().iter().copied().collect()
    }

    #[test]
    fn comparisons_give_the_literal_and_its_neighbours() {
        let pools = harvest(
            r#"fn discount(qty: u32, code: &str) -> u32 {
                if qty == 50 && code == "VIP" { 10 } else { 0 }
            }"#,
        );
        assert_eq!(ints(&pools), vec![-1, 0, 1, 9, 10, 11, 49, 50, 51]);
        assert_eq!(pools.strings().iter().collect::<Vec<_>>(), ["", "VIP"]);
    }

    #[test]
    fn literals_in_comments_and_attributes_are_ignored() {
        let pools = harvest(
            r#"
            //! Module doc mentioning 777 and "module".
            /// Returns 42 for "doc".
            #[doc = "attr 555"]
            #[cfg_attr(test, allow(unused))]
            #[deprecated(note = "old", since = "1.2.3")]
            fn f() -> u8 {
                // 999 "comment"
                /* 888 'c' "block" */
                7
            }
            "#,
        );
        assert_eq!(ints(&pools), vec![-1, 0, 1, 6, 7, 8]);
        assert_eq!(pools.strings().len(), 1, "{:?}", pools.strings());
        assert!(pools.chars().is_empty());
    }

    #[test]
    fn negative_literals_are_harvested_as_negative() {
        let pools =
            harvest("fn f(x: i32) -> i32 { match x { -10 => 1, _ if x < -5 => 2, _ => x - 3 } }");
        assert_eq!(
            ints(&pools),
            vec![-11, -10, -9, -6, -5, -4, -1, 0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn float_literals_give_their_neighbours() {
        let pools = harvest("fn f(p: f64) -> bool { p > 99.5 || p < -0.25 || p == 1e3 }");
        let floats = pools.floats();
        for expected in [
            99.5,
            99.5f64.next_up(),
            99.5f64.next_down(),
            99.5 - 0.995,
            99.5 + 0.995,
            -0.25,
            -0.26,
            -0.24,
            1000.0,
            990.0,
            1010.0,
            0.0,
        ] {
            assert!(
                floats.contains(&expected),
                "{expected} missing from {floats:?}"
            );
        }
        assert!(
            floats.windows(2).all(|w| w[0] < w[1]),
            "sorted and distinct"
        );
    }

    #[test]
    fn chars_bytes_and_byte_strings_are_harvested() {
        let pools = harvest(
            r#"fn f(c: char, b: u8, s: &[u8]) -> bool { c == 'é' || b == b'A' || s == b"GET" || s == b"\xff" }"#,
        );
        assert!(pools.chars().contains(&'é'));
        assert!(pools.ints().contains(&65) && pools.ints().contains(&66));
        assert!(pools.strings().contains("GET"));
        assert_eq!(pools.strings().len(), 2, "invalid UTF-8 is left out");
    }

    #[test]
    fn literals_inside_macro_calls_are_harvested_but_format_strings_are_not() {
        let pools = harvest(
            r#"fn f(x: i32) -> Vec<i32> {
                println!("value {} of {}", x, 1000);
                assert!(x != 12, "twelve is {}", "bad");
                if matches!(x, -20 | 30) { vec![5, -6] } else { vec!["pad".len() as i32] }
            }"#,
        );
        let ints = ints(&pools);
        for n in [1000, 12, -20, 30, 5, -6] {
            assert!(ints.contains(&n), "{n} missing from {ints:?}");
        }
        assert!(
            !ints.contains(&20) && !ints.contains(&7),
            "minus signs kept"
        );
        assert_eq!(pools.strings().iter().collect::<Vec<_>>(), ["", "pad"]);
    }

    #[test]
    fn the_extremes_of_i128_do_not_overflow() {
        let pools = harvest(
            "const A: i128 = -170141183460469231731687303715884105728; const B: u128 = 340282366920938463463374607431768211455;",
        );
        assert_eq!(pools.ints().first(), Some(&i128::MIN));
        assert!(
            !pools.ints().contains(&i128::MAX),
            "u128::MAX does not fit and is skipped"
        );
    }

    #[test]
    fn a_syntax_error_names_the_file_line_and_column() {
        let error =
            harvest_str("fn ok() {}\n\nfn broken( {\n}\n", "src/legacy/prices.rs").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("src/legacy/prices.rs:3:"), "{message}");
        assert!(message.contains("not valid Rust"), "{message}");
        match error {
            HarvestError::Parse { line, .. } => assert_eq!(line, 3),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_file_names_the_path_and_what_to_do() {
        let error = harvest_files(&["/nonexistent/kaizen/legacy.rs"]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("/nonexistent/kaizen/legacy.rs: no such file"),
            "{message}"
        );
        assert!(message.contains("name the Rust source files"), "{message}");
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn several_files_are_merged_into_one_pool() {
        let dir = std::env::temp_dir().join(format!("kaizen-harvest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.rs"), dir.join("b.rs"));
        std::fs::write(&a, "const A: u8 = 20;").unwrap();
        std::fs::write(&b, "const B: &str = \"x\"; const C: f32 = 0.5;").unwrap();
        let pools = harvest_files(&[&a, &b]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(pools.ints().contains(&21));
        assert!(pools.strings().contains("x"));
        assert!(pools.floats().contains(&0.5));
        let gone = harvest_files(&[a]).unwrap_err().to_string();
        assert!(gone.contains("no such file"), "{gone}");
    }

    #[test]
    fn an_empty_file_still_gives_the_basic_values() {
        let pools = harvest("");
        assert_eq!(ints(&pools), vec![-1, 0, 1]);
        assert_eq!(pools.floats(), &[0.0]);
        assert_eq!(pools.strings().iter().collect::<Vec<_>>(), [""]);
    }
}
