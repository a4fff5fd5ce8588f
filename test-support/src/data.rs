//! Test data: deterministic bytes, and hex.

/// Deterministic, incompressible-looking bytes: byte `offset + i` of the stream, for
/// every `i` of `buf`. Byte `n` depends only on `n`, so that any range can be
/// generated on its own (a file written a MiB at a time is [`data`] of its length).
pub fn fill(offset: u64, buf: &mut [u8]) {
    for (i, byte) in buf.iter_mut().enumerate() {
        let position = offset + i as u64;
        let mut x = (position / 8).wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        *byte = (x >> ((position % 8) * 8)) as u8;
    }
}

/// The first `len` bytes of [`fill`]'s stream.
pub fn data(len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    fill(0, &mut buf);
    buf
}

/// Lowercase hex, as the services write hashes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_range_is_the_same_as_in_the_whole() {
        let whole = data(100);
        let mut part = [0; 37];
        fill(41, &mut part);
        assert_eq!(part[..], whole[41..78]);
        assert_ne!(whole[..8], whole[8..16], "not a repeating pattern");
        assert_eq!(hex(&[0, 0xab, 0x7f]), "00ab7f");
    }
}
