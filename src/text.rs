//! Numbers in messages, written as JavaScript writes them.
//!
//! Every number an error message shows goes through [`num`]: the text is
//! exactly JavaScript's `String(x)` (ECMAScript `Number::toString`, radix
//! 10), so the same message appears natively and in Wasm, and it matches what
//! a JS user reads from `String(x)`: `NaN`, `Infinity`, `-Infinity`, `0` for
//! −0, the shortest digits that read back to the same number, and an
//! exponent from 1e21 up and below 1e-6 (`1e+21`, `1.5e-7`).
//!
//! Why not `{}` on an `f64`: core's float formatting (Grisu with the Dragon
//! fallback, its bignum, the `{:e}` and precision forms) is large in Wasm.
//! Taking the digits from `ryu` (with its small tables) instead, and never
//! formatting an `f64` through core anywhere in the library, leaves all of
//! it out of the module: measured 164,585 → 157,220 bytes gzipped
//! (`wasm-opt -Oz`, `gzip -9`; 407,956 → 389,362 raw, after the 4.7 KB
//! of code that ryu and this file add). Nothing in the library may format
//! an `f64` with `{}`, `{:?}` or `{:e}`, nor call `f64::clamp` (its panic
//! message does, see `stats::clamp`) or serde's `Unexpected` (its `Float`
//! case does): any one such use brings all of it back.

use std::fmt;

/// An `f64` that displays as JavaScript's `String(x)`; see the module docs.
///
/// ```
/// # use shijing::text::Num;
/// // As JavaScript writes numbers, not as Rust's `{}` does.
/// assert_eq!(Num(1e21).to_string(), "1e+21");
/// assert_eq!(format!("{}", 1e21), "1000000000000000000000");
/// assert_eq!(Num(f64::NEG_INFINITY).to_string(), "-Infinity");
/// ```
#[derive(Clone, Copy)]
pub struct Num(pub f64);

/// `x` for a message: `format!("got {}", num(x))`.
///
/// ```
/// # use shijing::text::num;
/// // Node's String(x) for each (JavaScript layout, not Rust's `{}`).
/// assert_eq!(num(1e21).to_string(), "1e+21");
/// assert_eq!(num(1.5e-7).to_string(), "1.5e-7");
/// assert_eq!(num(0.1 + 0.2).to_string(), "0.30000000000000004");
/// assert_eq!(num(-0.0).to_string(), "0");
/// assert_eq!(format!("got {}", num(f64::NAN)), "got NaN");
/// ```
pub fn num(x: f64) -> Num {
    Num(x)
}

/// Zeros to pad with: at most 20 (`1e20` is `1` and 20 zeros; `1e-6` is
/// `0.00000` and `1`).
const ZEROS: &str = "00000000000000000000";

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.is_nan() {
            return f.write_str("NaN");
        }
        if x == 0.0 {
            return f.write_str("0");
        }
        if x < 0.0 {
            f.write_str("-")?;
        }
        if x.is_infinite() {
            return f.write_str("Infinity");
        }
        // ryu writes the shortest round-trip digits as `123.45`, `1e21` or
        // `1.2345e-7`: read back the significant digits d₁…d_k and the
        // decimal exponent n (x = 0.d₁…d_k × 10ⁿ).
        let mut ryu = ryu::Buffer::new();
        let text = ryu.format_finite(x.abs()).as_bytes();
        let (mantissa, mut n) = match text.iter().position(|&b| b == b'e') {
            Some(i) => (&text[..i], exponent(&text[i + 1..])),
            None => (text, 0),
        };
        let mut buf = [0u8; 24];
        let mut k = 0;
        let mut after_point = false;
        for &b in mantissa {
            if b == b'.' {
                after_point = true;
            } else if b == b'0' && k == 0 {
                // A leading zero only moves the point, when after it.
                n -= i32::from(after_point);
            } else if k < buf.len() {
                buf[k] = b;
                k += 1;
                n += i32::from(!after_point);
            }
        }
        while k > 1 && buf[k - 1] == b'0' {
            k -= 1;
        }
        let digits = std::str::from_utf8(&buf[..k]).map_err(|_| fmt::Error)?;
        let zeros = |count: i32| ZEROS.get(..count as usize).unwrap_or(ZEROS);

        // The layout of ECMAScript Number::toString.
        let k = k as i32;
        if k <= n && n <= 21 {
            f.write_str(digits)?;
            f.write_str(zeros(n - k))
        } else if 0 < n && n <= 21 {
            let (int, frac) = digits.split_at(n as usize);
            f.write_str(int)?;
            f.write_str(".")?;
            f.write_str(frac)
        } else if -6 < n && n <= 0 {
            f.write_str("0.")?;
            f.write_str(zeros(-n))?;
            f.write_str(digits)
        } else {
            let (first, rest) = digits.split_at(1);
            f.write_str(first)?;
            if !rest.is_empty() {
                f.write_str(".")?;
                f.write_str(rest)?;
            }
            f.write_str(if n >= 1 { "e+" } else { "e-" })?;
            write!(f, "{}", (n - 1).unsigned_abs())
        }
    }
}

/// ryu's exponent: an optional `-`, then decimal digits. Read by hand:
/// `str::parse::<i32>` here added 312 bytes gzipped to the Wasm (measured).
fn exponent(text: &[u8]) -> i32 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let magnitude = digits
        .iter()
        .fold(0i32, |e, &d| e * 10 + i32::from(d - b'0'));
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Most characters of a caller's text a message quotes (a key, a name, an
/// exception's message); longer text is cut and ends in `…`.
///
/// ```
/// # use shijing::text::{clip, CLIP_CHARS};
/// // A text of exactly CLIP_CHARS characters is quoted whole.
/// let name = "x".repeat(CLIP_CHARS);
/// assert_eq!(clip(&name).to_string(), name);
/// ```
pub const CLIP_CHARS: usize = 80;

/// `s` for a message, cut after [`CLIP_CHARS`] characters: whatever a
/// caller passes, a message stays short.
///
/// ```
/// # use shijing::text::{clip, CLIP_CHARS};
/// assert_eq!(clip("short").to_string(), "short");
/// let long = "店".repeat(CLIP_CHARS + 1);
/// let text = clip(&long).to_string();
/// assert_eq!(text, format!("{}…", "店".repeat(CLIP_CHARS)));
/// ```
pub fn clip(s: &str) -> Clip<'_> {
    Clip(s)
}

/// Text that displays at most [`CLIP_CHARS`] characters; see [`clip`].
///
/// ```
/// # use shijing::text::{Clip, CLIP_CHARS};
/// let key = "k".repeat(2 * CLIP_CHARS);
/// let shown = format!("unknown key {}", Clip(&key));
/// assert_eq!(shown.chars().count(), "unknown key ".len() + CLIP_CHARS + 1); // and the …
/// assert!(shown.ends_with('…'));
/// ```
#[derive(Clone, Copy)]
pub struct Clip<'a>(pub &'a str);

impl fmt::Display for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(CLIP_CHARS) {
            Some((end, _)) => write!(f, "{}…", &self.0[..end]),
            None => f.write_str(self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, num, CLIP_CHARS};

    /// `String(x)` in Node for each case (run there, not guessed).
    #[test]
    fn javascript_texts() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.0, "-1"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (1e-6, "0.000001"),
            (0.000001234, "0.000001234"),
            (1.2e-6, "0.0000012"),
            (5e-324, "5e-324"),
            (1.5e-323, "1.5e-323"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN, "-1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (9007199254740992.0, "9007199254740992"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-1.5e-7, "-1.5e-7"),
            (-2.5e300, "-2.5e+300"),
            (1e300, "1e+300"),
            (123e-20, "1.23e-18"),
            (0.5, "0.5"),
            (4.35, "4.35"),
            (1e15, "1000000000000000"),
            (1e16, "10000000000000000"),
            (1e17, "100000000000000000"),
            (999999999999999900000.0, "999999999999999900000"),
            // 750948044503610.25 exactly: a tie between …610.2 and …610.3;
            // JS takes the even digit (Rust's `{}` writes 750948044503610.3).
            (f64::from_bits(0x4305_57dd_bb7f_d1d2), "750948044503610.2"),
        ];
        for &(x, want) in cases {
            assert_eq!(num(x).to_string(), want, "{:?}", x.to_bits());
        }
    }

    /// Against Rust's own shortest digits (proptest runs natively only).
    #[cfg(not(target_arch = "wasm32"))]
    mod read_back {
        use super::num;
        use proptest::prelude::*;

        /// The significant digits of `text` (no sign, point, exponent or
        /// leading/trailing zeros).
        fn significant(text: &str) -> String {
            let mantissa = text.split(['e', 'E']).next().unwrap_or("");
            mantissa
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .trim_matches('0')
                .to_string()
        }

        /// The text reads back to the same number, and its digits are Rust's
        /// shortest digits (`{:e}`): only the layout differs.
        fn check(bits: u64) -> Result<(), TestCaseError> {
            let x = f64::from_bits(bits);
            let text = num(x).to_string();
            let back: f64 = text.parse().unwrap();
            if x.is_nan() {
                prop_assert!(back.is_nan(), "{}", text);
            } else if x == 0.0 {
                prop_assert_eq!(text, "0");
            } else {
                prop_assert_eq!(back.to_bits(), bits, "{}", text);
                let ours = significant(&text);
                let rust = significant(&format!("{x:e}"));
                if ours != rust {
                    // Only a tie may differ: x lies exactly halfway between two
                    // shortest candidates; JavaScript (and ryu) take the even one,
                    // core's Grisu the upper one.
                    let k = ours.len().max(rust.len());
                    let scaled = |d: &str| format!("{d:0<k$}").parse::<u64>().unwrap();
                    let (a, b) = (scaled(&ours), scaled(&rust));
                    prop_assert_eq!(a.abs_diff(b), 1, "{} vs {}", ours, rust);
                    let exact = significant(&format!("{x:.800e}"));
                    prop_assert_eq!(exact, format!("{:0k$}5", a.min(b)), "{}", text);
                    prop_assert!(a % 2 == 0, "{} is not the even candidate", text);
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]
            /// Any bit pattern (mostly huge or tiny: the exponent layout).
            #[test]
            fn any_bits_read_back_with_the_shortest_digits(bits in any::<u64>()) {
                check(bits)?;
            }

            /// Magnitudes from about 1e-9 to 1e23, where every layout meets.
            #[test]
            fn message_sized_numbers_read_back_with_the_shortest_digits(
                sign in any::<bool>(),
                exp in 993u64..1100,
                mantissa in 0u64..1 << 52,
            ) {
                check(u64::from(sign) << 63 | exp << 52 | mantissa)?;
            }
        }
    }

    #[test]
    fn clip_cuts_long_text() {
        assert_eq!(clip("abc").to_string(), "abc");
        let long = "é".repeat(CLIP_CHARS + 5);
        let cut = clip(&long).to_string();
        assert_eq!(cut.chars().count(), CLIP_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(
            clip(&"x".repeat(CLIP_CHARS)).to_string(),
            "x".repeat(CLIP_CHARS)
        );
    }
}
