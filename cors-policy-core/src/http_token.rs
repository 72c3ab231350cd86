//! HTTP grammar shared by validation and request-time parsing.

/// Whether `b` is a `tchar` of RFC 9110 (the characters of a method or header name).
pub const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_'
        | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// [`is_tchar`] for every byte, so that the request path checks a byte with one load
/// (the `match` compiles to a chain of range tests: on a preflight, checking the
/// requested names was a fifth of the engine's work).
const TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar(b as u8);
        b += 1;
    }
    table
};

/// Whether `s` is a non-empty HTTP token (RFC 9110 §5.6.2).
#[inline]
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| TCHAR[usize::from(b)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"GET"));
        assert!(is_token(b"X-Request-Id"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"a,b"));
        assert!(!is_token(b"caf\xc3\xa9"));
        for b in 0..=255u8 {
            assert_eq!(is_token(&[b]), is_tchar(b), "byte {b}");
        }
    }
}
