//! Path arguments of API methods, taken as what callers hold.

use std::borrow::Cow;
use std::fmt;

/// A run id (or another path argument) as a method takes it, as text.
///
/// The methods with a `runId` take `impl Into<PathArg>`, so a caller passes what it
/// holds: the `i64` the queue's own types use (`TaskClaim::run_id`), any other
/// integer (written in decimal), or text (`&str`, `String`). Every other path
/// argument is a `&str`, to which `&String` and the generated ids (`&TaskId`)
/// coerce.
///
/// ```
/// use tc_client::queue::Queue;
///
/// let queue = Queue::new(None, "https://tc.example.com")?;
/// let run_id: i64 = 0; // as in `TaskClaim::run_id`
/// assert_eq!(
///     queue.get_artifact_url("fN1SbArXTPSVFNUvaOlinQ", run_id, "public/logs/live.log")?,
///     "https://tc.example.com/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ/runs/0/artifacts/public%2Flogs%2Flive.log",
/// );
/// assert_eq!(
///     queue.get_artifact_url("fN1SbArXTPSVFNUvaOlinQ", "0", "public/logs/live.log")?,
///     queue.get_artifact_url("fN1SbArXTPSVFNUvaOlinQ", 0u32, "public/logs/live.log")?,
/// );
/// # Ok::<(), tc_client::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PathArg<'a>(Cow<'a, str>);

impl PathArg<'_> {
    /// The argument as text (before percent-encoding).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PathArg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for PathArg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> From<&'a str> for PathArg<'a> {
    fn from(value: &'a str) -> Self {
        PathArg(Cow::Borrowed(value))
    }
}

impl<'a> From<&'a String> for PathArg<'a> {
    fn from(value: &'a String) -> Self {
        PathArg(Cow::Borrowed(value))
    }
}

impl<'a> From<&&'a str> for PathArg<'a> {
    fn from(value: &&'a str) -> Self {
        PathArg(Cow::Borrowed(value))
    }
}

impl From<String> for PathArg<'_> {
    fn from(value: String) -> Self {
        PathArg(Cow::Owned(value))
    }
}

impl<'a> From<Cow<'a, str>> for PathArg<'a> {
    fn from(value: Cow<'a, str>) -> Self {
        PathArg(value)
    }
}

macro_rules! from_integers {
    ($($t:ty),*) => {$(
        impl From<$t> for PathArg<'_> {
            fn from(value: $t) -> Self {
                PathArg(Cow::Owned(value.to_string()))
            }
        }
    )*};
}

from_integers!(i8, i16, i32, i64, u8, u16, u32, u64, usize);
