//! The shape of kaizen's own source, held by tests: modules stay under 600 lines, functions
//! under 80, and the rooms below the front doors (`check`, `cli`) use each other only the
//! way DESIGN.md's door table says — which also means no circle among them. The source is
//! read with `syn`, so comments and strings never count as code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

const MAX_MODULE_LINES: usize = 600;
const MAX_FUNCTION_LINES: usize = 80;
const FRONT_DOORS: [&str; 2] = ["check", "cli"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every non-test `.rs` file under `src/`, with its room (the top-level module it is in).
fn source_files() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                continue;
            }
            let relative = path.strip_prefix(src()).unwrap();
            let first = relative.components().next().unwrap();
            let room = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if room == "lib" || room == "main" {
                continue;
            }
            files.push((room, path));
        }
    }
    files.sort();
    files
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// What one file uses of the crate, and how long its functions are.
#[derive(Default)]
struct Reader {
    uses: BTreeSet<String>,
    long: Vec<(String, usize, usize)>,
}

impl Reader {
    fn measure(&mut self, name: &syn::Ident, from: proc_macro2::Span, to: proc_macro2::Span) {
        let lines = to.end().line - from.start().line + 1;
        if lines > MAX_FUNCTION_LINES {
            self.long.push((name.to_string(), from.start().line, lines));
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, under_crate: bool) {
        match tree {
            syn::UseTree::Path(p) if p.ident == "crate" && !under_crate => {
                self.use_tree(&p.tree, true);
            }
            syn::UseTree::Path(p) if under_crate => {
                self.uses.insert(p.ident.to_string());
            }
            syn::UseTree::Name(n) if under_crate => {
                self.uses.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) if under_crate => {
                self.uses.insert(r.ident.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(t, under_crate)),
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for Reader {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, false);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if segments.next().is_some_and(|s| s.ident == "crate")
            && let Some(next) = segments.next()
        {
            self.uses.insert(next.ident.to_string());
        }
        visit::visit_path(self, path);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.measure(&f.sig.ident, f.sig.span(), f.block.span());
        visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.measure(&f.sig.ident, f.sig.span(), f.block.span());
        visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.measure(&f.sig.ident, f.sig.span(), block.span());
        }
        visit::visit_trait_item_fn(self, f);
    }
}

/// The crate root's re-exports (`pub use error::Error;`): the name, and the room it is in.
fn reexports() -> BTreeMap<String, String> {
    let lib = parse(&src().join("lib.rs"));
    let mut names = BTreeMap::new();
    for item in lib.items {
        if let syn::Item::Use(u) = item
            && let syn::UseTree::Path(p) = &u.tree
            && let syn::UseTree::Name(n) = &*p.tree
        {
            names.insert(n.ident.to_string(), p.ident.to_string());
        }
    }
    names
}

/// Which room uses which: an edge for each `crate::room` a room's files name.
fn uses_by_room() -> BTreeMap<String, BTreeSet<String>> {
    let rooms: BTreeSet<String> = source_files().into_iter().map(|(r, _)| r).collect();
    let reexports = reexports();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (room, path) in source_files() {
        let mut reader = Reader::default();
        reader.visit_file(&parse(&path));
        for used in reader.uses {
            let used = reexports.get(&used).cloned().unwrap_or(used);
            if used != room && rooms.contains(&used) {
                graph.entry(room.clone()).or_default().insert(used);
            }
        }
    }
    graph
}

/// DESIGN.md's door table: for each room below the front doors, the rooms it may use.
fn doors_in_design() -> BTreeMap<String, BTreeSet<String>> {
    let design = std::fs::read_to_string(src().join("../DESIGN.md")).unwrap();
    let table = design
        .split("Which way each door opens")
        .nth(1)
        .expect("DESIGN.md has the door table");
    let reexports = reexports();
    let names = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(|n| {
                n.trim_end_matches('/')
                    .split('/')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .map(|n| reexports.get(&n).cloned().unwrap_or(n))
            .collect()
    };
    let mut doors = BTreeMap::new();
    let mut everyone = BTreeSet::new();
    for row in table.lines().skip_while(|l| !l.starts_with('|')) {
        if !row.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = row.split('|').collect();
        if cells.len() < 4 || cells[1].contains("---") || cells[1].trim() == "module" {
            continue;
        }
        let allowed: BTreeSet<String> = names(cells[2]).into_iter().collect();
        if cells[1].trim() == "every module" {
            everyone = allowed;
            continue;
        }
        for room in names(cells[1]) {
            doors.insert(room, allowed.clone());
        }
    }
    for allowed in doors.values_mut() {
        allowed.extend(everyone.iter().cloned());
    }
    doors
}

#[test]
fn every_module_stays_under_six_hundred_lines() {
    let long: Vec<String> = source_files()
        .into_iter()
        .chain([("lib".into(), src().join("lib.rs"))])
        .filter_map(|(_, path)| {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            (lines > MAX_MODULE_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these modules: {long:#?}");
}

#[test]
fn every_function_stays_under_eighty_lines() {
    let long: Vec<String> = source_files()
        .into_iter()
        .map(|(_, path)| path)
        .chain([src().join("lib.rs"), src().join("main.rs")])
        .flat_map(|path| {
            let mut reader = Reader::default();
            reader.visit_file(&parse(&path));
            reader.long.into_iter().map(move |(name, line, lines)| {
                format!("{}:{line} {name} ({lines} lines)", path.display())
            })
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these functions into named steps: {long:#?}"
    );
}

#[test]
fn every_room_uses_only_what_the_design_door_table_allows() {
    let doors = doors_in_design();
    let mut wrong = Vec::new();
    for (room, used) in uses_by_room() {
        if FRONT_DOORS.contains(&room.as_str()) {
            continue;
        }
        let Some(allowed) = doors.get(&room) else {
            wrong.push(format!("`{room}` has no row in DESIGN.md's door table"));
            continue;
        };
        for u in used.difference(allowed) {
            wrong.push(format!(
                "`{room}` uses `{u}`, which its DESIGN.md row does not list"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn no_room_below_the_front_doors_is_used_by_a_room_it_uses() {
    let graph = uses_by_room();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(room) = stack.pop() {
            if room == to {
                return true;
            }
            if FRONT_DOORS.contains(&room.as_str()) || !seen.insert(room.clone()) {
                continue;
            }
            stack.extend(graph.get(&room).into_iter().flatten().cloned());
        }
        false
    };
    let mut circles = Vec::new();
    for (room, used) in &graph {
        for u in used {
            if !FRONT_DOORS.contains(&room.as_str()) && reaches(u, room) {
                circles.push(format!("{room} → {u} → … → {room}"));
            }
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn no_room_below_the_front_doors_uses_a_front_door() {
    let graph = uses_by_room();
    let wrong: Vec<String> = graph
        .iter()
        .filter(|(room, _)| !FRONT_DOORS.contains(&room.as_str()))
        .flat_map(|(room, used)| {
            used.iter()
                .filter(|u| FRONT_DOORS.contains(&u.as_str()))
                .map(move |u| format!("{room} uses {u}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
