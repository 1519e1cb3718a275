//! Order numbers as keys: lines sharing one are one order. Adjacent lines
//! accumulate as a run; runs far apart are merged after a sort of their
//! keys (no hash table).

use foldhash::fast::FixedState;
use std::fmt::Write;
use std::hash::BuildHasher;

use crate::orders::table::Strings;
use crate::orders::values;
use crate::orders::{AmountScope, Malformed, Reason, Report};
use crate::stats::sort;

/// The number a key of 1 to 19 digits (no leading zero) spells.
#[inline]
fn as_number(key: &[u8]) -> Option<u64> {
    if key.is_empty() || key.len() > 19 || (key[0] == b'0' && key.len() > 1) {
        return None;
    }
    // Eight digits at a time (order numbers and buyer ids run 16-19).
    let (mut v, mut rest) = (0u64, key);
    while let Some((head, tail)) = rest.split_first_chunk::<8>() {
        v = v * 100_000_000 + eight_digits(u64::from_le_bytes(*head))?;
        rest = tail;
    }
    for &c in rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    Some(v)
}

/// The number eight ASCII digits spell (the first in the lowest byte), or
/// `None` when a byte is not a digit.
#[inline]
fn eight_digits(w: u64) -> Option<u64> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    let d = w.wrapping_sub(LOW * u64::from(b'0'));
    // Every byte a digit: no borrow set bit 7 (byte < '0') and adding 6
    // keeps it below 0x10 (byte <= '9').
    if (w & 0x8080_8080_8080_8080) != 0
        || (d & 0xF0F0_F0F0_F0F0_F0F0) != 0
        || ((d + LOW * 6) & 0xF0F0_F0F0_F0F0_F0F0) != 0
    {
        return None;
    }
    // Pairs, quads, then the eight (SWAR; the first digit is the most significant).
    let d = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d * 100 + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((d * 10_000 + (d >> 32)) & 0xFFFF_FFFF)
}

pub(super) const NONE: u32 = u32::MAX;

/// One order's lines, accumulated.
#[derive(Clone, Copy)]
pub(super) struct Acc {
    pub(super) customer: u32,
    pub(super) day: i32,
    pub(super) units: i64,
    pub(super) refund: i64,
    pub(super) purchase_lines: u32,
    pub(super) closed_lines: u32,
    pub(super) refunded_lines: u32,
    pub(super) has_amount: bool,
    pub(super) unknown_refund: bool,
    pub(super) amount_conflict: bool,
    /// Merged into an earlier run of the same order.
    pub(super) merged: bool,
    /// The line of the first purchase line (0: none yet).
    pub(super) first_line: u64,
    /// The group column's value on that line (index into the levels).
    pub(super) group: u32,
}

pub(super) const EMPTY_ACC: Acc = Acc {
    customer: NONE,
    day: i32::MAX,
    units: 0,
    refund: 0,
    purchase_lines: 0,
    closed_lines: 0,
    refunded_lines: 0,
    has_amount: false,
    unknown_refund: false,
    amount_conflict: false,
    merged: false,
    first_line: 0,
    group: NONE,
};

/// Keys (order numbers of runs, buyers of runs) without a hash table: the
/// number a key of up to 19 digits spells, else the hash of its bytes, with
/// the bytes kept to tell keys whose hashes collide. Equal keys are found by
/// sorting (sequential memory traffic; a hash table missed the cache on
/// nearly every access: ~300 ms of 1M lines for order numbers, ~200 ms for
/// buyers).
#[derive(Default)]
pub(super) struct Keys {
    pub(super) keys: Vec<u64>,
    pub(super) numeric: Vec<bool>,
    /// The text of each key that is not a number (empty for numbers).
    pub(super) strings: Strings,
    pub(super) state: FixedState,
}

/// A key's number, or the hash of its bytes; and whether it is a number.
pub(super) fn key_of(key: &[u8], state: &FixedState) -> (u64, bool) {
    match as_number(key) {
        Some(v) => (v, true),
        None => (state.hash_one(key), false),
    }
}

impl Keys {
    /// Room for `n` keys (of ~20 bytes) without growing.
    pub(super) fn new(n: usize) -> Keys {
        Keys {
            keys: Vec::with_capacity(n),
            numeric: Vec::with_capacity(n),
            strings: Strings {
                arena: Vec::new(),
                ends: Vec::with_capacity(n),
            },
            state: FixedState::with_seed(0x5eed),
        }
    }

    /// Adds `key` (whose [`key_of`] is `k`); returns its index.
    pub(super) fn push(&mut self, key: &[u8], (k, numeric): (u64, bool)) -> u32 {
        self.keys.push(k);
        self.numeric.push(numeric);
        let strings = &mut self.strings;
        if !numeric {
            strings.arena.extend_from_slice(key);
        }
        strings.ends.push(strings.arena.len());
        (self.keys.len() - 1) as u32
    }

    pub(super) fn text(&self, i: usize) -> &[u8] {
        self.strings.get(i)
    }

    /// Whether entry `i` is `key` (whose [`key_of`] is `k`).
    pub(super) fn is(&self, i: u32, key: &[u8], (k, numeric): (u64, bool)) -> bool {
        let i = i as usize;
        self.keys.get(i) == Some(&k)
            && self.numeric.get(i) == Some(&numeric)
            && (numeric || values::same_bytes(self.text(i), key))
    }

    /// Whether entries `i` and `j` are the same key.
    pub(super) fn same(&self, i: u32, j: u32) -> bool {
        let (i, j) = (i as usize, j as usize);
        self.keys.get(i) == self.keys.get(j)
            && self.numeric.get(i) == self.numeric.get(j)
            && (self.numeric.get(i) == Some(&true) || self.text(i) == self.text(j))
    }

    /// Entry `i` as text.
    pub(super) fn shown(&self, i: u32) -> String {
        match (self.numeric.get(i as usize), self.keys.get(i as usize)) {
            (Some(true), Some(v)) => {
                // Room for any u64 first (`to_string` grows the string).
                let mut s = String::with_capacity(20);
                let _ = write!(s, "{v}");
                s
            }
            _ => String::from_utf8_lossy(self.text(i as usize)).into_owned(),
        }
    }

    /// The entries `of` (indices), grouped into distinct keys: per element
    /// of `of`, the key's number, counted in order of first appearance in
    /// `of`; and per key, one entry holding it.
    pub(super) fn distinct(&self, of: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let mut sorted: Vec<u128> = of
            .iter()
            .enumerate()
            .map(|(p, &i)| {
                let k = self.keys.get(i as usize).copied().unwrap_or(0);
                let n = self.numeric.get(i as usize).copied().unwrap_or(true);
                (u128::from(k) << 64) | (u128::from(!n) << 32) | p as u128
            })
            .collect();
        // Stable by key: elements of a key stay in the order of `of`.
        sort::sort_wide_stable(&mut sorted, 32);
        // Provisional group per element.
        let mut group = vec![0u32; of.len()];
        let mut groups = 0usize;
        let mut heads: Vec<(u32, usize)> = Vec::new();
        let mut at = 0;
        while at < sorted.len() {
            let g = sorted[at] >> 32;
            // Groups are mostly one element long: a scan, not a binary search
            // over the rest of the array.
            let len = sorted[at..].iter().take_while(|&&v| v >> 32 == g).count();
            heads.clear();
            for &v in &sorted[at..at + len] {
                let p = v as u32 as usize;
                let entry = of.get(p).copied().unwrap_or(0);
                // A group of one number is one key; hashes need their bytes
                // compared (the flag bit is 1 for a hash).
                let numeric = g & 1 == 0;
                let found = heads
                    .iter()
                    .find(|&&(h, _)| numeric || self.same(h, entry))
                    .map(|&(_, g)| g);
                let id = match found {
                    Some(id) => id,
                    None => {
                        let id = groups;
                        groups += 1;
                        heads.push((entry, id));
                        id
                    }
                };
                if let Some(slot) = group.get_mut(p) {
                    *slot = id as u32;
                }
            }
            at += len;
        }
        // Number the keys by first appearance.
        let mut rank = vec![NONE; groups];
        let mut entries = Vec::with_capacity(groups);
        let numbers = group
            .iter()
            .zip(of)
            .map(|(&g, &entry)| match rank.get_mut(g as usize) {
                Some(r) if *r == NONE => {
                    *r = entries.len() as u32;
                    entries.push(entry);
                    *r
                }
                Some(r) => *r,
                None => 0,
            })
            .collect();
        (numbers, entries)
    }

    /// Merges the runs of each order into its first run (sorting the runs
    /// by key, then index); returns the number of orders.
    #[inline(never)]
    pub(super) fn merge(
        &self,
        accs: &mut [Acc],
        report: &mut Report,
        listed: usize,
        customers: &Keys,
        scope: AmountScope,
    ) -> u64 {
        let mut sorted: Vec<u128> = self
            .keys
            .iter()
            .zip(&self.numeric)
            .enumerate()
            .map(|(i, (&k, &n))| (u128::from(k) << 64) | (u128::from(!n) << 32) | i as u128)
            .collect();
        // Stable by key: an order's runs stay in line order (the first is the head).
        sort::sort_wide_stable(&mut sorted, 32);
        let mut orders = 0u64;
        let mut heads: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < sorted.len() {
            let group = sorted[at] >> 32;
            let len = sorted[at..]
                .iter()
                .take_while(|&&v| v >> 32 == group)
                .count();
            heads.clear();
            for &v in &sorted[at..at + len] {
                let run = v as u32 as usize;
                let numeric = self.numeric.get(run).copied().unwrap_or(true);
                // Same number: same order. Same hash: same order when the
                // bytes agree (a true collision is another order).
                let head = heads
                    .iter()
                    .copied()
                    .find(|&h| numeric || self.text(h) == self.text(run));
                match head {
                    Some(h) => merge_run(accs, h, run, report, listed, customers, scope),
                    None => {
                        heads.push(run);
                        orders += 1;
                    }
                }
            }
            at += len;
        }
        // Rows found at the end (conflicts between an order's runs) are
        // listed where their lines are.
        let rows = std::mem::take(&mut report.malformed_rows);
        let mut order: Vec<u64> = rows
            .iter()
            .enumerate()
            .map(|(i, m)| (m.line.min(1 << 40) << 20) | i as u64)
            .collect();
        sort::sort_bits(&mut order);
        let mut rows: Vec<Option<Malformed>> = rows.into_iter().map(Some).collect();
        report.malformed_rows = order
            .iter()
            .filter_map(|&k| rows.get_mut((k & 0xF_FFFF) as usize).and_then(Option::take))
            .collect();
        orders
    }
}

/// Folds run `run` into the earlier run `head` of the same order. A run
/// whose buyer differs from the order's is malformed, all its purchase lines
/// (listed at its first one).
pub(super) fn merge_run(
    accs: &mut [Acc],
    head: usize,
    run: usize,
    report: &mut Report,
    listed: usize,
    customers: &Keys,
    scope: AmountScope,
) {
    let Some(r) = accs.get(run).copied() else {
        return;
    };
    if let Some(a) = accs.get_mut(run) {
        a.merged = true;
    }
    let Some(h) = accs.get_mut(head) else {
        return;
    };
    h.closed_lines += r.closed_lines;
    h.refunded_lines += r.refunded_lines;
    h.unknown_refund |= r.unknown_refund;
    if r.purchase_lines == 0 {
        return;
    }
    let units = match scope {
        AmountScope::Line => h.units.checked_add(r.units),
        AmountScope::Order => Some(if h.has_amount { h.units } else { r.units }),
    };
    let conflict = h.customer != NONE && !customers.same(h.customer, r.customer);
    let reason = match (conflict, units) {
        (true, _) => Some(Reason::CustomerConflict),
        (false, None) => Some(Reason::OrderTotal),
        _ => None,
    };
    if let Some(reason) = reason {
        report.malformed += u64::from(r.purchase_lines);
        report.purchase_lines -= u64::from(r.purchase_lines);
        if report.malformed_rows.len() < listed {
            report.malformed_rows.push(Malformed {
                line: r.first_line,
                reason,
                value: crate::orders::short(&customers.shown(r.customer)),
            });
        }
        return;
    }
    if scope == AmountScope::Order && h.has_amount && r.units != h.units {
        h.amount_conflict = true;
    }
    h.amount_conflict |= r.amount_conflict;
    h.units = units.unwrap_or(h.units);
    h.has_amount = true;
    h.refund = h.refund.saturating_add(r.refund);
    if h.customer == NONE {
        h.customer = r.customer;
    }
    h.day = h.day.min(r.day);
    h.purchase_lines += r.purchase_lines;
    if h.first_line == 0 {
        h.first_line = r.first_line;
        h.group = r.group;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number a key spells, one digit at a time (the oracle).
    fn naive(key: &[u8]) -> Option<u64> {
        if key.is_empty() || key.len() > 19 || (key[0] == b'0' && key.len() > 1) {
            return None;
        }
        key.iter().try_fold(0u64, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u64::from(c - b'0'))
        })
    }

    #[test]
    fn numbers_eight_digits_at_a_time() {
        for k in [
            "0",
            "7",
            "12345678",
            "123456789",
            "3901234567000007919",
            "9999999999999999999",
            "10000000000000000000",
            "2088100000054782",
            "01",
            "",
            "1234567/",
            "1234567:",
            "12345678a",
            "1234５",
        ] {
            assert_eq!(as_number(k.as_bytes()), naive(k.as_bytes()), "{k}");
        }
        // Every byte value at every place of a 16-digit key.
        let mut key = *b"2088100000054782";
        for at in 0..key.len() {
            for b in 0..=255u8 {
                let old = key[at];
                key[at] = b;
                assert_eq!(as_number(&key), naive(&key), "{b} at {at}");
                key[at] = old;
            }
        }
    }
}
