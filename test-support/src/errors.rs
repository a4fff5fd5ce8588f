//! API errors taken apart, for assertions on their fields.

use tc_client::Error;

/// The fields of an [`Error::Api`] the tests look at.
#[derive(Debug)]
pub struct ApiFailure {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub service_method: String,
    pub attempts: u32,
}

/// Takes an [`Error::Api`] apart; panics on any other error.
pub fn api_failure(error: &Error) -> ApiFailure {
    match error {
        Error::Api {
            status,
            code,
            message,
            service_method,
            attempts,
            ..
        } => ApiFailure {
            status: *status,
            code: code.clone().unwrap_or_default(),
            message: message.clone(),
            service_method: service_method.clone(),
            attempts: *attempts,
        },
        other => panic!("expected Error::Api, got {other:?}"),
    }
}
