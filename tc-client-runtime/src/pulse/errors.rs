//! The errors of a stopped listener and of a failed AMQP operation.

use crate::Error;

pub(super) fn stopped() -> Error {
    Error::Pulse("the listener has stopped".to_owned())
}

pub(super) fn amqp(what: &str) -> impl FnOnce(amqprs::error::Error) -> Error + '_ {
    move |e| Error::Pulse(format!("{what}: {e}"))
}
