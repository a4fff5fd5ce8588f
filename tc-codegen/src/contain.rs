//! Containment of typify's panics: typify may panic on a schema it does not
//! support, and generation must turn that into an error, silently.
//!
//! The process's panic hook is wrapped once ([`std::sync::Once`]) by a hook
//! that stays silent for a panic on a thread that is inside [`contained`],
//! and passes every other panic to the hook it replaced, unchanged. Whether
//! a thread is inside is a thread-local flag set by a guard for the length
//! of the call, so a panic on another thread at the same time is reported
//! as usual and no hook is ever swapped per call.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread is running a [`contained`] call.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

/// Wraps the current panic hook (once per process).
fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // During thread teardown the flag may be gone: report then.
            let silent = CONTAINING.try_with(Cell::get).unwrap_or(false);
            if !silent {
                previous(info);
            }
        }));
    });
}

/// Marks the current thread as containing panics while it lives.
struct Containing {
    was: bool,
}

impl Containing {
    fn enter() -> Self {
        Containing {
            was: CONTAINING.replace(true),
        }
    }
}

impl Drop for Containing {
    fn drop(&mut self) {
        CONTAINING.set(self.was);
    }
}

/// Runs `f`; a panic inside it is not reported by the panic hook and is
/// answered as its message. Panics on other threads are reported as usual.
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install();
    let result = {
        let _containing = Containing::enter();
        catch_unwind(AssertUnwindSafe(f))
    };
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "typify panicked".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_flag_is_restored() {
        assert_eq!(contained(|| 7), Ok(7));
        assert_eq!(
            contained(|| -> () { panic!("boom") }),
            Err("boom".to_owned())
        );
        let n = 3;
        assert_eq!(
            contained(|| -> () { panic!("boom {n}") }),
            Err("boom 3".to_owned())
        );
        assert!(!CONTAINING.with(Cell::get), "cleared after a panic");
        // Nested: the outer call still contains after the inner one ends.
        let outer = contained(|| {
            let inner = contained(|| -> () { panic!("inner") });
            assert!(CONTAINING.with(Cell::get));
            inner
        });
        assert_eq!(outer, Ok(Err("inner".to_owned())));
        assert!(!CONTAINING.with(Cell::get));
    }
}
