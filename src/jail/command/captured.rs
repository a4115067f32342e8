//! The files a program wrote in its case directory, collected without ever following a
//! symbolic link.
//!
//! Every step opens relative to the folder already open (`openat` with `O_NOFOLLOW`), never
//! by a path: a program (or a process it left running) that swaps a folder or a file for a
//! link between two steps cannot make kaizen read outside the case directory. A link is
//! recorded as a link; fifos, sockets and devices are recorded by kind and never read; a case
//! directory that became a link is an error.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::bytes::Data;
use super::outcome::CapturedFile;
use super::total::CaseTotal;
use super::units::format_size;

/// Flags for every open: never through a link, never blocking on a fifo, never inherited.
fn flags(directory: bool) -> OFlags {
    let base = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
    if directory {
        base | OFlags::DIRECTORY
    } else {
        base
    }
}

/// Collects files under `case_dir` whose relative path matches `globs`, counting each in
/// `total`. A regular file over `limit` bytes is an error naming the file and the limit; a
/// file that no longer fits in the total is counted by its size and not read (the caller
/// checks the total).
pub(crate) fn capture_files(
    case_dir: &Path,
    globs: &globset::GlobSet,
    limit: u64,
    total: &mut CaseTotal,
) -> Result<BTreeMap<String, CapturedFile>, String> {
    let root = rustix::fs::open(case_dir, flags(true), Mode::empty())
        .map_err(|err| case_dir_error(case_dir, err))?;
    let mut found = BTreeMap::new();
    let mut pending = vec![(root, String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = Dir::read_from(&dir)
            .map_err(|err| format!("cannot list {prefix:?} in the case directory: {err}"))?;
        for entry in entries {
            let entry = entry.map_err(|err| format!("cannot list the case directory: {err}"))?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes()).to_owned();
            if name == "." || name == ".." {
                continue;
            }
            let shown = name.to_string_lossy();
            let relative = if prefix.is_empty() {
                shown.into_owned()
            } else {
                format!("{prefix}/{shown}")
            };
            if let Some(sub) = open_folder(&dir, &name, &relative)? {
                pending.push((sub, relative));
                continue;
            }
            if globs.is_match(&relative) {
                let captured = capture_one(&dir, &name, &relative, limit, total)?;
                found.insert(relative, captured);
            }
        }
    }
    Ok(found)
}

/// The case directory could not be opened as a folder: say whether it became a link.
fn case_dir_error(case_dir: &Path, err: Errno) -> String {
    match fs::read_link(case_dir) {
        Ok(target) => format!(
            "the program replaced its case directory with a symbolic link (to {}); \
             kaizen never follows a link out of the case directory, so no file was captured",
            target.display()
        ),
        Err(_) => format!("cannot open the case directory to capture files: {err}"),
    }
}

/// `name` in `dir` opened as a folder, or `None` when it is anything else (a link to a
/// folder included).
fn open_folder(dir: &OwnedFd, name: &OsStr, relative: &str) -> Result<Option<OwnedFd>, String> {
    let stat = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .map_err(|err| format!("cannot inspect {relative}: {err}"))?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::Directory {
        return Ok(None);
    }
    match rustix::fs::openat(dir, name, flags(true), Mode::empty()) {
        Ok(sub) => Ok(Some(sub)),
        // Swapped for something else since it was inspected: capture that instead.
        Err(Errno::LOOP | Errno::NOTDIR) => Ok(None),
        Err(err) => Err(format!("cannot open the folder {relative}: {err}")),
    }
}

/// One entry that is not a folder: a link's target, a regular file's bytes (within
/// `limit`, empty when it does not fit in `total`), or the kind of a special file (never
/// opened).
fn capture_one(
    dir: &OwnedFd,
    name: &OsStr,
    relative: &str,
    limit: u64,
    total: &mut CaseTotal,
) -> Result<CapturedFile, String> {
    let stat = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .map_err(|err| format!("cannot inspect {relative}: {err}"))?;
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => {}
        FileType::Symlink => return read_link(dir, name, relative),
        other => return Ok(special(other)),
    }
    let file = match rustix::fs::openat(dir, name, flags(false), Mode::empty()) {
        Ok(file) => file,
        // Swapped for a link since it was inspected.
        Err(Errno::LOOP) => return read_link(dir, name, relative),
        Err(err) => return Err(format!("cannot read {relative}: {err}")),
    };
    // What was opened, not what the name held a moment ago.
    let stat =
        rustix::fs::fstat(&file).map_err(|err| format!("cannot inspect {relative}: {err}"))?;
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => {
            let size = u64::try_from(stat.st_size).unwrap_or(0);
            if size <= limit && !total.fits(size) {
                total.add(relative, size);
                return Ok(CapturedFile::Content(Data::default()));
            }
            let data = read_limited(fs::File::from(file), relative, size, limit)?;
            total.add(relative, data.as_bytes().len() as u64);
            Ok(CapturedFile::Content(data))
        }
        other => Ok(special(other)),
    }
}

fn read_link(dir: &OwnedFd, name: &OsStr, relative: &str) -> Result<CapturedFile, String> {
    let target = rustix::fs::readlinkat(dir, name, Vec::new())
        .map_err(|err| format!("cannot read the link {relative}: {err}"))?;
    let target = OsStr::from_bytes(target.as_bytes()).to_string_lossy();
    Ok(CapturedFile::Symlink(target.into_owned()))
}

/// A fifo, a socket or a device, by kind.
fn special(kind: FileType) -> CapturedFile {
    let kind = match kind {
        FileType::Fifo => "fifo",
        FileType::Socket => "socket",
        _ => "device",
    };
    CapturedFile::Special(kind.to_string())
}

fn read_limited(file: fs::File, relative: &str, size: u64, limit: u64) -> Result<Data, String> {
    let over = |size: u64| {
        format!(
            "captured file {relative} is {size} bytes, over the capture limit of {}; \
             raise `capture.limit` in the spec or narrow `capture.files`",
            format_size(limit)
        )
    };
    if size > limit {
        return Err(over(size));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read {relative}: {err}"))?;
    if bytes.len() as u64 > limit {
        return Err(over(bytes.len() as u64));
    }
    Ok(Data::from(bytes))
}
