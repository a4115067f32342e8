//! Catching panics of jailed code without printing them.
//!
//! The process-wide panic hook is wrapped once: while the current thread is inside a jailed
//! call the wrapper stays silent; everywhere else it hands the panic to the hook that was
//! installed before, so panics outside jails print exactly as they did without kaizen.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::Outcome;

thread_local! {
    static IN_JAIL: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

fn install_hook() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_JAIL.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f(input)`, turning a panic into [`Outcome::Panicked`] with its message.
pub(crate) fn call_silently<I, O>(f: &(dyn Fn(I) -> O + Send + Sync), input: I) -> Outcome<O> {
    match catch_silently(|| f(input)) {
        Ok(value) => Outcome::Returned(value),
        Err(message) => Outcome::Panicked(message),
    }
}

/// Runs `f`, turning a panic into its message, without printing it. The caller must not
/// use what `f` mutated after a panic as if it were whole (a stateful jail stops there).
pub(crate) fn catch_silently<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = IN_JAIL.with(|flag| flag.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_JAIL.with(|flag| flag.set(was));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

/// The message of a panic payload: the `&str` or `String` it carries.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<panic with a non-string payload>".to_string()
    }
}
