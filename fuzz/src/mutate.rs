//! Byte edits applied to honest messages: the fuzzer chooses the edits, the harness knows the
//! honest bytes, so it can tell a forgery (accepted but changed) from a correct rejection.

use crate::Input;

/// Applies up to 8 edits read from `input` to `buf`. Each edit is an op byte, a 16-bit position
/// and a value byte. Zero edits (or edits that cancel out) leave `buf` unchanged: the harness
/// compares bytes, not the number of edits.
pub fn apply_edits(buf: &mut Vec<u8>, input: &mut Input<'_>) {
    let count = input.u8() % 9;
    for _ in 0..count {
        let op = input.u8();
        let pos = usize::from(input.u16());
        let value = input.u8();
        edit(buf, op, pos, value);
    }
}

fn edit(buf: &mut Vec<u8>, op: u8, pos: usize, value: u8) {
    let len = buf.len();
    match op % 7 {
        // Flip one bit.
        0 if len > 0 => buf[pos % len] ^= 1 << (value % 8),
        // XOR a byte.
        1 if len > 0 => buf[pos % len] ^= value,
        // Overwrite a byte.
        2 if len > 0 => buf[pos % len] = value,
        // Truncate.
        3 => buf.truncate(pos % (len + 1)),
        // Insert a byte.
        4 => buf.insert(pos % (len + 1), value),
        // Remove a byte.
        5 if len > 0 => {
            buf.remove(pos % len);
        }
        // Append `value % 32 + 1` copies of a byte.
        6 => buf.extend(std::iter::repeat_n(value, usize::from(value % 32) + 1)),
        _ => {}
    }
}

/// Encodes edits in the format [`apply_edits`] reads (for seeds).
pub fn encode_edits(edits: &[(u8, u16, u8)]) -> Vec<u8> {
    let mut out = vec![edits.len() as u8];
    for &(op, pos, value) in edits {
        out.push(op);
        out.extend_from_slice(&pos.to_be_bytes());
        out.push(value);
    }
    out
}
