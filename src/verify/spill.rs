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
}

fn bound() -> usize {
    #[cfg(test)]
    return BOUND.with(|b| b.get());
    #[cfg(not(test))]
    IN_MEMORY
}

/// Text written in order: in memory up to a bound, then in an unnamed temporary file.
#[derive(Default)]
pub(crate) struct Spill {
    memory: Vec<u8>,
    file: Option<Spilled>,
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
        if self.file.is_none() && self.memory.len() + text.len() > bound() {
            self.file = Some(self.open()?);
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
    fn open(&mut self) -> Result<Spilled, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            ".kaizen-recording-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let io = |e| Error::io(&path, "write a temporary file", e);
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        // On Unix the open file outlives its name: nothing is left behind, whatever happens.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        let mut out = BufWriter::with_capacity(1 << 16, file);
        out.write_all(&self.memory).map_err(io)?;
        self.memory = Vec::new();
        Ok(Spilled { out, path })
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
}
