//! Text written in order and read back once: kept in memory while it is small, in a
//! temporary file past that, so a first recording of a million cases does not hold its
//! whole body in memory before the file is written.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// Bytes kept in memory before the text moves to a file.
const IN_MEMORY: usize = 4 << 20;

#[cfg(test)]
thread_local! {
    /// Tests move the text to a file sooner, to read it back from there.
    pub(crate) static BOUND: std::cell::Cell<usize> = const { std::cell::Cell::new(IN_MEMORY) };
    /// Tests name a folder of their own for the file.
    static FOLDER: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

fn bound() -> usize {
    #[cfg(test)]
    return BOUND.with(|b| b.get());
    #[cfg(not(test))]
    IN_MEMORY
}

/// Where the file is made: the system's folder for temporary files.
fn folder() -> PathBuf {
    #[cfg(test)]
    if let Some(folder) = FOLDER.with(|f| f.borrow().clone()) {
        return folder;
    }
    std::env::temp_dir()
}

/// Text written in order: in memory up to a bound, then in an unnamed temporary file (or
/// still in memory when no such file can be made).
#[derive(Default)]
pub(crate) struct Spill {
    memory: Vec<u8>,
    file: Option<Spilled>,
    /// No temporary file could be made: the text stays in memory.
    in_memory: bool,
}

/// The temporary file the text moved to.
struct Spilled {
    out: BufWriter<File>,
    path: PathBuf,
}

impl Drop for Spilled {
    fn drop(&mut self) {
        // Gone already where an open file can be removed (see `Spill::open`).
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Spill {
    /// Appends `text`.
    pub(crate) fn push(&mut self, text: &str) -> Result<(), Error> {
        if self.file.is_none() && !self.in_memory && self.memory.len() + text.len() > bound() {
            match self.open() {
                Ok(file) => self.file = Some(file),
                Err(_) => self.in_memory = true,
            }
        }
        match &mut self.file {
            Some(file) => file
                .out
                .write_all(text.as_bytes())
                .map_err(|e| Error::io(&file.path, "write a temporary file", e)),
            None => {
                self.memory.extend_from_slice(text.as_bytes());
                Ok(())
            }
        }
    }

    /// Moves the text so far to a new temporary file, which takes the rest.
    fn open(&mut self) -> io::Result<Spilled> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = folder().join(format!(
            ".kaizen-recording-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        // On Unix the open file outlives its name: nothing is left behind, whatever happens.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        let out = BufWriter::with_capacity(1 << 16, file);
        let mut spilled = Spilled { out, path };
        spilled.out.write_all(&self.memory)?;
        self.memory = Vec::new();
        Ok(spilled)
    }

    /// Ends the writing: the text is complete.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        match &mut self.file {
            Some(file) => file
                .out
                .flush()
                .map_err(|e| Error::io(&file.path, "write a temporary file", e)),
            None => Ok(()),
        }
    }

    /// Copies the text, as [`Spill::finish`] left it, to `out`.
    pub(crate) fn copy_to(&self, out: &mut dyn Write) -> io::Result<()> {
        match &self.file {
            Some(file) => {
                let mut from = file.out.get_ref();
                from.seek(SeekFrom::Start(0))?;
                io::copy(&mut from, out).map(|_| ())
            }
            None => out.write_all(&self.memory),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_back_as_written_from_memory_and_from_a_file() {
        for bound in [usize::MAX, 10, 0] {
            BOUND.with(|b| b.set(bound));
            let mut spill = Spill::default();
            let mut expected = String::new();
            for i in 0..1000 {
                let text = format!("- input: {i}\n  returned: {}\n", i * 7);
                spill.push(&text).unwrap();
                expected.push_str(&text);
            }
            spill.finish().unwrap();
            assert_eq!(spill.file.is_some(), bound != usize::MAX);
            for _ in 0..2 {
                let mut back = Vec::new();
                spill.copy_to(&mut back).unwrap();
                assert_eq!(String::from_utf8(back).unwrap(), expected);
            }
        }
        BOUND.with(|b| b.set(IN_MEMORY));
    }

    #[test]
    fn text_stays_in_memory_when_no_temporary_file_can_be_made() {
        let dir = tempfile::tempdir().unwrap();
        FOLDER.with(|f| *f.borrow_mut() = Some(dir.path().join("missing")));
        BOUND.with(|b| b.set(4));
        let mut spill = Spill::default();
        for text in ["- input: 1\n", "  returned: 2\n"] {
            spill.push(text).unwrap();
        }
        spill.finish().unwrap();
        assert!(spill.file.is_none() && spill.in_memory);
        let mut back = Vec::new();
        spill.copy_to(&mut back).unwrap();
        assert_eq!(back, b"- input: 1\n  returned: 2\n");
        FOLDER.with(|f| *f.borrow_mut() = None);
        BOUND.with(|b| b.set(IN_MEMORY));
    }
}
