use super::*;

const NO_CREDS: RegexContext = RegexContext {
    credentials: false,
    allow_insecure: false,
    allow_public_suffix_wildcards: false,
};

#[test]
fn debug_print() {
    for src in [
        r"^https://(eu|us)-[0-9]+\.example\.com$",
        r"^https://api.example.com$",
        r"^https://.*example\.com$",
        r"^https://example\.com.*$",
        r".*",
        r"^https://.+",
        r"^https://[a-z0-9.-]+$",
        r"^https://[a-z0-9-]+\.github\.io$",
        r"^https://[a-z0-9-]+\.example\.com$",
        r"^https://([a-z0-9-]+\.)*example\.com$",
        r"^http://localhost:[0-9]+$",
        r"^https://example\.(com|org)$",
        r"null|https://a\.com",
        r"(?=x)",
        r"\1",
        r"a{1000}{1000}",
        r"[^\x00-\xff]",
        r"^https://example\.com/$",
    ] {
        let t = std::time::Instant::now();
        let (dfa, f) = analyze(src, &RegexContext { credentials: true, ..NO_CREDS });
        println!("{src:40} dfa={} {:?}", dfa.is_some(), t.elapsed());
        for f in f {
            println!("   [{}] {} | {} | {:?}", f.code, f.message, f.help, f.counterexample);
        }
    }
}
