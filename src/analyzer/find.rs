//! Substring search for the rules, which ask tens of thousands of "does this text contain …"
//! questions per snippet: dozens of words over the whole text (`self.`, `create table`, a
//! header's name) and many more over one call's or one function's text.
//!
//! `str::contains` and `str::match_indices` are fast natively (x86 has an SSE2 path for short
//! needles) but slow in the browser's wasm: each call builds a Two-Way searcher, then scans one
//! byte at a time. Measured in V8 (node) on wasm built like the worker (`simd128`):
//! - whole text (35 KB, twelve needles): `match_indices` 95–115 µs, `memchr::memmem` 28 µs;
//! - 4,800 searches of 15–105-byte texts: `contains` 390–500 µs, `memmem` 660 µs (its setup
//!   costs more than the scan), the first byte found with `memchr` then the rest compared
//!   137 µs.
//!
//! So long texts go to `memmem` (from 512 bytes in wasm, 16 KB natively); short ones to
//! `str::contains` natively and to `memchr` plus a comparison in wasm.

/// Texts at least this long are searched with `memchr::memmem` (its searcher costs more to
/// build than a short scan). Natively `str::contains` is fast up to whole snippets.
#[cfg(target_arch = "wasm32")]
const LONG: usize = 512;
#[cfg(not(target_arch = "wasm32"))]
const LONG: usize = 16 * 1024;

/// Byte offsets of the non-overlapping occurrences of `needle` in `hay`, first to last: the
/// offsets `hay.match_indices(needle)` yields. An empty needle matches nowhere.
pub fn find_all<'h, 'n>(
    hay: &'h str,
    needle: &'n str,
) -> impl Iterator<Item = usize> + use<'h, 'n> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let long = (!n.is_empty() && h.len() >= LONG).then(|| memchr::memmem::find_iter(h, n));
    // Where the next short search starts; past the end when there is none to do.
    let mut from = if n.is_empty() || long.is_some() {
        h.len() + 1
    } else {
        0
    };
    let short = std::iter::from_fn(move || {
        // `from` is 0 or the end of a match: a char boundary.
        let at = from + short_find(hay.get(from..)?, needle)?;
        from = at + n.len();
        Some(at)
    });
    long.into_iter().flatten().chain(short)
}

/// Whether `needle` occurs in `hay`: `hay.contains(needle)`.
pub fn has(hay: &str, needle: &str) -> bool {
    if hay.len() >= LONG {
        return memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some();
    }
    // Natively `str::contains` (it has an SSE2 path that `str::find` lacks).
    #[cfg(not(target_arch = "wasm32"))]
    return hay.contains(needle);
    #[cfg(target_arch = "wasm32")]
    return short_find(hay, needle).is_some();
}

/// The first occurrence in a short text: `str::find` natively.
#[cfg(not(target_arch = "wasm32"))]
fn short_find(hay: &str, needle: &str) -> Option<usize> {
    hay.find(needle)
}

#[cfg(target_arch = "wasm32")]
fn short_find(hay: &str, needle: &str) -> Option<usize> {
    first_byte_find(hay.as_bytes(), needle.as_bytes())
}

/// The first byte found with `memchr`, then the rest compared (the wasm `short_find`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn first_byte_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last = hay.len().checked_sub(needle.len())?;
    let mut from = 0;
    while from <= last {
        let at = from + memchr::memchr(first, &hay[from..=last])?;
        if &hay[at + 1..at + needle.len()] == rest {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The offset of the first occurrence of `needle` in `hay` (`hay.find(needle)`).
pub fn first(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// `text.has("…")`: [`has`] as a method, for the rules' many `contains` questions.
pub trait Has {
    fn has(&self, needle: &str) -> bool;
}

impl Has for str {
    fn has(&self, needle: &str) -> bool {
        has(self, needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_str_search() {
        let long = "x".repeat(LONG) + "self.a = 1; self.b == 2; café self.ç aaaa";
        for hay in [
            "self.a = 1; self.b == 2; café self.ç aaaa",
            long.as_str(),
            "",
            "a",
        ] {
            for needle in [
                "self.",
                "a",
                "aa",
                "ç",
                "é s",
                "zz",
                "self.b == 2",
                "aaaaa",
                "",
            ] {
                let want: Vec<usize> = hay.match_indices(needle).map(|(i, _)| i).collect();
                if !needle.is_empty() {
                    assert_eq!(find_all(hay, needle).collect::<Vec<_>>(), want, "{needle}");
                }
                assert_eq!(has(hay, needle), hay.contains(needle), "{hay:?} {needle}");
                assert_eq!(hay.has(needle), hay.contains(needle), "{hay:?} {needle}");
                assert_eq!(
                    first_byte_find(hay.as_bytes(), needle.as_bytes()),
                    hay.find(needle),
                    "{hay:?} {needle}"
                );
                assert_eq!(first(hay, needle), hay.find(needle), "{needle}");
            }
        }
        assert_eq!(find_all("abc", "").count(), 0);
    }
}
