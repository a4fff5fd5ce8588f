//! Mutexes whose poisoning is recovered from rather than propagated.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, recovering the data of a poisoned one.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
