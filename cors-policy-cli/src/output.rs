//! Writing to stdout and stderr with the CLI's conventions.

use std::io::{self, Write};

/// Writes `text` to stdout. A closed pipe (`cors-policy lint ... | head`) is not an
/// error: the output is simply no longer wanted. Returns `false` on another I/O error,
/// which is reported on stderr.
pub fn stdout(text: &str) -> bool {
    stdout_with(|out| out.write_all(text.as_bytes()))
}

/// Streams output to stdout through a buffer with `write`, with the conventions of
/// [`stdout`].
pub fn stdout_with(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>,
) -> bool {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            error(&format!("cannot write to stdout: {e}"));
            false
        }
    }
}

/// Reports a fact about the run (a summary) on stderr as `cors-policy: ...`, keeping
/// stdout for the output proper.
pub fn info(message: &str) {
    let _ = writeln!(io::stderr(), "cors-policy: {message}");
}

/// Reports an error on stderr as `cors-policy: ...`.
pub fn error(message: &str) {
    info(message);
}
