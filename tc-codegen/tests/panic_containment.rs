//! `tc_codegen::contain` silences only the panics it contains: a panic on
//! another thread while a contained call runs, and any panic after it,
//! still reach the panic hook that was installed before.
//!
//! A test binary of its own, so that the counting hook below is in place
//! before tc-codegen first wraps the hook.

use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Panics seen by the test's hook, by message.
static OTHER_THREAD: AtomicUsize = AtomicUsize::new(0);
static CONTAINED: AtomicUsize = AtomicUsize::new(0);
static AFTER: AtomicUsize = AtomicUsize::new(0);

fn message<'a>(info: &'a PanicHookInfo<'_>) -> &'a str {
    info.payload()
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
        .unwrap_or("")
}

fn counting_hook(info: &PanicHookInfo<'_>) {
    let counter = match message(info) {
        "on another thread" => &OTHER_THREAD,
        "contained" => &CONTAINED,
        "after" => &AFTER,
        _ => return,
    };
    counter.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn only_contained_panics_are_silenced() {
    std::panic::set_hook(Box::new(counting_hook));

    let (started, wait_started) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let result = tc_codegen::contain::contained(move || {
        // Another thread panics while this one contains.
        let other = std::thread::spawn(move || {
            started.send(()).unwrap();
            wait_release.recv().unwrap();
            panic!("on another thread");
        });
        wait_started.recv().unwrap();
        release.send(()).unwrap();
        assert!(other.join().is_err());
        panic!("contained");
    });
    assert_eq!(result, Err::<(), _>("contained".to_owned()));
    assert_eq!(
        OTHER_THREAD.load(Ordering::SeqCst),
        1,
        "the other thread's panic reached the previous hook"
    );
    assert_eq!(
        CONTAINED.load(Ordering::SeqCst),
        0,
        "the contained one did not"
    );

    // On this thread too, once the call is over.
    let after = std::panic::catch_unwind(|| panic!("after"));
    assert!(after.is_err());
    assert_eq!(AFTER.load(Ordering::SeqCst), 1);

    // A second contained call needs no new hook and is silent too.
    assert_eq!(
        tc_codegen::contain::contained(|| -> () { panic!("contained") }),
        Err("contained".to_owned())
    );
    assert_eq!(CONTAINED.load(Ordering::SeqCst), 0);

    // Leave the process's hook as the default again.
    drop(std::panic::take_hook());
}
