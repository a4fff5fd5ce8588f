//! Whether the RabbitMQ broker of the Pulse tests answers, with the rule
//! every such test follows: without one it says SKIPPED and passes, unless
//! `CI` is set, where it fails (in CI the Pulse tests must run).

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The broker the Pulse tests use.
pub const BROKER: &str = "127.0.0.1:5672";

/// Whether RabbitMQ listens on [`BROKER`]. When it does not, prints that
/// `test` is skipped, or panics when `CI` is set.
pub fn broker_available(test: &str) -> bool {
    let reachable = BROKER
        .parse::<SocketAddr>()
        .is_ok_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    if !reachable {
        assert!(
            std::env::var_os("CI").is_none_or(|ci| ci.is_empty()),
            "{test}: no RabbitMQ on {BROKER} and `CI` is set: in CI the Pulse tests must run, not skip"
        );
        eprintln!("SKIPPED {test}: no RabbitMQ on {BROKER}");
    }
    reachable
}
