//! The commands that need no deployment: `from-now`, `slugid`, `completions`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Subcommand;
use uuid::Uuid;

use crate::failure::Failure;
use crate::output;

/// `tc slugid ...`.
#[derive(Debug, Subcommand)]
pub enum SlugidCommand {
    /// A nice slug id (its first character a letter: never read as an option)
    Nice,
    /// A slug id of any random v4 UUID
    V4,
    /// The UUID a slug id encodes
    Decode {
        /// The slug id
        slug: String,
    },
    /// The slug id of a UUID
    Encode {
        /// The UUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`)
        uuid: String,
    },
}

/// Runs `tc from-now <duration>`: the timestamp that far from now, as Taskcluster
/// writes them.
pub fn from_now(expression: &str) -> Result<(), Failure> {
    let time = tc_client::Time::from_now(expression)
        .map_err(|e| Failure::Usage(format!("`{expression}`: {e}")))?;
    output::line(&time.to_string())
}

/// Runs `tc slugid [nice|v4|decode|encode]` (`nice` without a subcommand).
pub fn slugid(command: Option<&SlugidCommand>) -> Result<(), Failure> {
    match command.unwrap_or(&SlugidCommand::Nice) {
        SlugidCommand::Nice => output::line(&tc_client::slugid::nice()),
        SlugidCommand::V4 => output::line(&tc_client::slugid::v4()),
        SlugidCommand::Decode { slug } => output::line(&decode(slug)?),
        SlugidCommand::Encode { uuid } => output::line(&encode(uuid)?),
    }
}

/// The UUID text of a 22-character slug id (URL-safe base64 of 16 bytes, unpadded).
fn decode(slug: &str) -> Result<String, Failure> {
    slugid_decode(slug)
        .map(|uuid| uuid.hyphenated().to_string())
        .ok_or_else(|| {
            Failure::Usage(format!(
                "`{slug}` is not a slug id (22 URL-safe base64 characters)"
            ))
        })
}

fn slugid_decode(slug: &str) -> Option<Uuid> {
    let bytes: [u8; 16] = URL_SAFE_NO_PAD.decode(slug).ok()?.try_into().ok()?;
    Some(Uuid::from_bytes(bytes))
}

/// The slug id of a UUID text.
fn encode(uuid: &str) -> Result<String, Failure> {
    let uuid = Uuid::parse_str(uuid)
        .map_err(|e| Failure::Usage(format!("`{uuid}` is not a UUID: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(uuid.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_uuids_round_trip() {
        for _ in 0..100 {
            let slug = tc_client::slugid::v4();
            assert_eq!(encode(&decode(&slug).unwrap()).unwrap(), slug);
        }
        // A fixed pair: the all-ones UUID and its slug.
        assert_eq!(
            decode("_____________________w").unwrap(),
            "ffffffff-ffff-ffff-ffff-ffffffffffff"
        );
        assert!(decode("short").is_err());
        assert!(encode("not-a-uuid").is_err());
    }
}
