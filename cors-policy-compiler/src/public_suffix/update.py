"""Regenerates rules.txt from a Public Suffix List file (public_suffix_list.dat, or the
psl crate's data/rules.txt): one rule a line, comments dropped, lower case, Unicode
labels as punycode (xn--, RFC 3492 on the NFC form), as browsers send hosts."""
import sys
import unicodedata

HEADER = """// The Public Suffix List (https://publicsuffix.org/list/), ICANN and private sections,
// with Unicode labels converted to punycode (xn--), one rule a line. Source: the snapshot
// the `psl` crate 2.1.247 ships. Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/).
// Regenerate: python3 cors-policy-compiler/src/public_suffix/update.py public_suffix_list.dat
"""


def ascii_rule(rule):
    rule = unicodedata.normalize("NFC", rule).lower()
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in rule.split(".")
    )


def main(path):
    rules = []
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            line = line.strip()
            if line and not line.startswith("//"):
                rules.append(ascii_rule(line.split()[0]))
    with open(__file__.rsplit("/", 1)[0] + "/rules.txt", "w", encoding="ascii") as out:
        out.write(HEADER + "\n".join(rules) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
