//! Share links: the app's state in a URL, and back, with every input bounded.
//!
//! Two forms, both read by [`read_location`]:
//! - `#s=<base64url(deflate(JSON))>`: what the Share button writes; holds the snippet, the
//!   language, the scenario, the simulated hazard, load, seed and the model settings.
//! - `?scenario=ID`, `?code=<percent-encoded>&lang=python`, with optional `&load=N&seed=N&embed=1`
//!   (and `hazard=ID`): hand-written links for docs authors.
//!
//! A link comes from a stranger: the fragment is capped before decoding, the inflated size is
//! capped while inflating (a decompression bomb stops at the cap), and the result is plain data
//! that the app treats as text. No browser types here, so it is tested natively.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest `#s=` payload read (characters). Larger links are refused before any decoding.
pub const MAX_LINK_CHARS: usize = 512 * 1024;
/// Largest inflated state (bytes): bigger means a bomb or a paste no link should carry.
pub const MAX_STATE_BYTES: usize = 256 * 1024;
/// Longest `?code=` value read (characters, still percent-encoded).
pub const MAX_QUERY_CHARS: usize = 3 * MAX_STATE_BYTES;

/// Everything a link can set. Absent fields keep the person's current value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A language id (`python` …) or absent for "detect".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The hazard the simulator shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Model settings per hazard id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, BTreeMap<String, u64>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub embed: bool,
}

/// Why a link could not be read; each says what to do, for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    TooLong { chars: usize },
    NotBase64,
    Corrupt,
    TooBig,
    NotState(String),
    BadValue { name: String },
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong { chars } => write!(
                f,
                "This share link is too long ({chars} characters; at most {MAX_LINK_CHARS}). Your saved work is unchanged."
            ),
            LinkError::NotBase64 => f.write_str(
                "This share link is damaged (it has characters a link never contains): it may have been cut or edited. Your saved work is unchanged.",
            ),
            LinkError::Corrupt => f.write_str(
                "This share link is damaged or cut short: its data does not unpack. Ask for the link again. Your saved work is unchanged.",
            ),
            LinkError::TooBig => write!(
                f,
                "This share link unpacks to more than {} KB, more than any snippet a link carries; it was not opened. Your saved work is unchanged.",
                MAX_STATE_BYTES / 1024
            ),
            LinkError::NotState(why) => write!(
                f,
                "This share link does not hold a Hazard Lab state ({why}). Your saved work is unchanged."
            ),
            LinkError::BadValue { name } => write!(
                f,
                "The link's `{name}` value is not valid; the link was not opened. Your saved work is unchanged."
            ),
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url (padding and standard `+/` accepted, whitespace refused).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character (6 bits) cannot come from any byte string.
    (bits < 6).then_some(out)
}

/// The `#s=` payload for a state.
pub fn encode(state: &LinkState) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(&json, 9))
}

/// The `#s=` payload, or `TooBig` when the state is larger than a link may unpack to (the
/// link would be refused when opened).
pub fn encode_checked(state: &LinkState) -> Result<String, LinkError> {
    let json = serde_json::to_vec(state).unwrap_or_default();
    if json.len() > MAX_STATE_BYTES {
        return Err(LinkError::TooBig);
    }
    Ok(base64url_encode(&miniz_oxide::deflate::compress_to_vec(
        &json, 9,
    )))
}

/// Reads a `#s=` payload.
pub fn decode(payload: &str) -> Result<LinkState, LinkError> {
    let chars = payload.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { chars });
    }
    let packed = base64url_decode(payload.trim()).ok_or(LinkError::NotBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooBig,
            _ => LinkError::Corrupt,
        })?;
    let state: LinkState = serde_json::from_slice(&json).map_err(|e| {
        LinkError::NotState(if e.is_syntax() || e.is_eof() {
            "not JSON".to_string()
        } else {
            e.to_string()
        })
    })?;
    Ok(state)
}

/// Percent-decoding as `URLSearchParams` does it (`+` is a space); invalid escapes stay as
/// written, invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding for a query value (everything but unreserved characters).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn number(name: &str, value: &str) -> Result<u64, LinkError> {
    value.trim().parse().map_err(|_| LinkError::BadValue {
        name: name.to_string(),
    })
}

/// Reads a hand-written query (`?scenario=…&code=…&lang=…&load=…&seed=…&embed=1`).
/// `Ok(None)` when the query sets nothing a link can set.
pub fn parse_query(query: &str) -> Result<Option<LinkState>, LinkError> {
    let mut s = LinkState::default();
    let mut any = false;
    for pair in query.trim_start_matches('?').split('&') {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "code" && raw.len() > MAX_QUERY_CHARS {
            return Err(LinkError::TooLong { chars: raw.len() });
        }
        let value = || percent_decode(raw);
        match key {
            "code" => s.code = Some(value()),
            "lang" => s.lang = Some(value()),
            "scenario" => s.scenario = Some(value()),
            "hazard" => s.hazard = Some(value()),
            "load" => s.load = Some(number(key, &value())?),
            "seed" => s.seed = Some(number(key, &value())?),
            "embed" => s.embed = matches!(raw, "1" | "true" | ""),
            _ => continue,
        }
        any = true;
    }
    Ok(any.then_some(s))
}

/// The link state in a page's location: the `#s=` fragment wins over the query.
pub fn read_location(search: &str, hash: &str) -> Result<Option<LinkState>, LinkError> {
    let hash = hash.trim_start_matches('#');
    if let Some(payload) = hash.strip_prefix("s=") {
        let mut state = decode(payload)?;
        // `embed=1` in the query also applies to a shared state.
        if let Ok(Some(q)) = parse_query(search) {
            state.embed |= q.embed;
        }
        return Ok(Some(state));
    }
    parse_query(search)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Rng;

    fn random_text(rng: &mut Rng, len: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", " ", "\n", "\t", "é", "€", "😀", "\u{202e}", "\0", "<script>", "%", "+", "&",
            "=", "#", "\"", "\\", "SELECT", "\u{feff}",
        ];
        (0..len)
            .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
            .collect()
    }

    fn random_state(rng: &mut Rng) -> LinkState {
        let mut params = BTreeMap::new();
        for _ in 0..rng.below(3) {
            let mut inner = BTreeMap::new();
            for _ in 0..rng.below(4) {
                inner.insert(random_text(rng, 3), rng.next_u64());
            }
            params.insert(random_text(rng, 4), inner);
        }
        let n = rng.below(2000) as usize;
        LinkState {
            code: rng.chance(900).then(|| random_text(rng, n)),
            lang: rng.chance(500).then(|| "python".to_string()),
            scenario: rng.chance(300).then(|| random_text(rng, 5)),
            hazard: rng.chance(500).then(|| "lost-update".to_string()),
            load: rng.chance(700).then(|| rng.next_u64()),
            seed: rng.chance(700).then(|| rng.next_u64()),
            params,
            embed: rng.chance(200),
        }
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let mut rng = Rng::new(5);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            let enc = base64url_encode(&bytes);
            assert!(!enc.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&enc).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64url_encode(b"hi?"), "aGk_");
        assert_eq!(base64url_decode("a"), None, "one leftover char");
        assert_eq!(base64url_decode("ab c"), None);
    }

    /// Property: any state survives the link, a few thousand random cases.
    #[test]
    fn random_states_round_trip() {
        let mut rng = Rng::new(2026);
        for _ in 0..3000 {
            let s = random_state(&mut rng);
            let link = encode(&s);
            assert_eq!(decode(&link), Ok(s.clone()));
            assert_eq!(read_location("", &format!("#s={link}")), Ok(Some(s)));
        }
    }

    /// Property: arbitrary or mutated payloads never panic, and either decode or say why.
    #[test]
    fn mutated_and_random_payloads_are_refused_cleanly() {
        let mut rng = Rng::new(99);
        let good = encode(&LinkState {
            code: Some("x = 1\n".repeat(50)),
            ..Default::default()
        });
        for i in 0..4000 {
            let mut bytes = good.clone().into_bytes();
            match i % 4 {
                0 => bytes.truncate(rng.below(bytes.len() as u64) as usize),
                1 => {
                    let at = rng.below(bytes.len() as u64) as usize;
                    bytes[at] = ALPHABET[rng.below(64) as usize];
                }
                2 => bytes = (0..rng.below(300)).map(|_| rng.below(256) as u8).collect(),
                _ => bytes.insert(rng.below(bytes.len() as u64) as usize, b'A'),
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Err(e) = decode(&text) {
                assert!(e.to_string().contains("unchanged"), "{e}");
            }
        }
    }

    #[test]
    fn bombs_and_oversized_links_are_refused() {
        // 10 MB of zeros deflates to about 10 KB: a bomb that must stop at the cap.
        let bomb = base64url_encode(&miniz_oxide::deflate::compress_to_vec(
            &vec![b'0'; 10 << 20],
            9,
        ));
        assert!(bomb.len() < 40_000, "{}", bomb.len());
        assert_eq!(decode(&bomb), Err(LinkError::TooBig));
        let huge = "A".repeat(10 << 20);
        assert!(matches!(decode(&huge), Err(LinkError::TooLong { .. })));
        assert!(matches!(
            read_location("", &format!("#s={huge}")),
            Err(LinkError::TooLong { .. })
        ));
        assert_eq!(decode("%%%"), Err(LinkError::NotBase64));
        assert_eq!(decode("AAAA"), Err(LinkError::Corrupt));
        let not_state = base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9));
        assert!(matches!(decode(&not_state), Err(LinkError::NotState(_))));
        let big = LinkState {
            code: Some("x".repeat(MAX_STATE_BYTES)),
            ..Default::default()
        };
        assert_eq!(encode_checked(&big), Err(LinkError::TooBig));
        let ok = LinkState {
            code: Some("x".repeat(1000)),
            ..Default::default()
        };
        assert_eq!(decode(&encode_checked(&ok).unwrap()), Ok(ok));
        let long_code = format!("?code={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(matches!(
            parse_query(&long_code),
            Err(LinkError::TooLong { .. })
        ));
    }

    #[test]
    fn hand_written_links() {
        let code = "def f():\n    return 1 + 2  # 100% & more";
        let q = format!(
            "?code={}&lang=python&load=20&seed=7&embed=1",
            percent_encode(code)
        );
        let s = parse_query(&q).unwrap().unwrap();
        assert_eq!(s.code.as_deref(), Some(code));
        assert_eq!(s.lang.as_deref(), Some("python"));
        assert_eq!((s.load, s.seed, s.embed), (Some(20), Some(7), true));
        assert_eq!(
            parse_query("?scenario=seat-booking")
                .unwrap()
                .unwrap()
                .scenario
                .as_deref(),
            Some("seat-booking")
        );
        assert_eq!(
            parse_query("?code=a+b%20c%zz%")
                .unwrap()
                .unwrap()
                .code
                .as_deref(),
            Some("a b c%zz%")
        );
        assert_eq!(parse_query("?bench"), Ok(None));
        assert_eq!(parse_query(""), Ok(None));
        assert!(matches!(
            parse_query("?load=-3"),
            Err(LinkError::BadValue { .. })
        ));
        // A fragment wins; the query's embed flag still applies.
        let link = encode(&LinkState {
            seed: Some(1),
            ..Default::default()
        });
        let s = read_location("?embed=1&seed=9", &format!("#s={link}"))
            .unwrap()
            .unwrap();
        assert_eq!((s.seed, s.embed), (Some(1), true));
        assert_eq!(percent_decode(&percent_encode("é😀 +&=")), "é😀 +&=");
    }
}
