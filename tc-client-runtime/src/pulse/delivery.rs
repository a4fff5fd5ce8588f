//! A delivery off the broker, and how it is acknowledged on the channel it
//! came on.

use super::errors::amqp;
use crate::{Error, Result};
use amqprs::channel::{BasicAckArguments, BasicNackArguments, Channel};

pub(super) struct Acker {
    pub(super) channel: Channel,
    pub(super) tag: u64,
}

impl Acker {
    pub(super) async fn ack(&self) -> Result<()> {
        self.check_open()?;
        self.channel
            .basic_ack(BasicAckArguments::new(self.tag, false))
            .await
            .map_err(amqp("ack"))
    }

    pub(super) async fn nack(&self, requeue: bool) -> Result<()> {
        self.check_open()?;
        self.channel
            .basic_nack(BasicNackArguments::new(self.tag, false, requeue))
            .await
            .map_err(amqp("nack"))
    }

    pub(super) fn check_open(&self) -> Result<()> {
        if self.channel.is_open() && self.channel.is_connection_open() {
            Ok(())
        } else {
            Err(Error::Pulse(
                "the connection the message came on is gone; the broker delivers it again"
                    .to_owned(),
            ))
        }
    }
}

pub(super) struct Delivery {
    pub(super) exchange: String,
    pub(super) routing_key: String,
    pub(super) body: Vec<u8>,
    pub(super) redelivered: bool,
    pub(super) sequence: u64,
    pub(super) acker: Acker,
}
