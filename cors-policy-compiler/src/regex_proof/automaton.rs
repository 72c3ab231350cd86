//! Walking dense DFAs: membership, and shortest-string searches on products of DFAs.
//!
//! Every question the regex rules ask ("does the regex accept an `http://` origin
//! that is not loopback?", "is there an origin it accepts outside the domains it
//! names?") is a search for a string in an intersection of regular languages, some of
//! them complemented. A dense DFA is complete (it has a dead state), so complementing
//! one is flipping its acceptance; the intersection is explored breadth-first over the
//! tuple of states, which finds a shortest string or proves there is none.

use std::collections::{HashMap, VecDeque};

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::Anchored;

/// The owned dense DFA type every regex origin compiles to.
pub(crate) type Dfa = dense::DFA<Vec<u32>>;

/// The bytes a serialized origin can contain, in the order a search prefers them:
/// `.` first (so a `.` meta-character is read as the dot the author meant), then
/// lower-case letters and digits, then the rest of the origin grammar.
pub(crate) const ORIGIN_BYTES: &[u8] =
    b".abcdefghijklmnopqrstuvwxyz0123456789-:/_[]+!$&'()*,;=~`{}\"";

/// The anchored start state of `dfa`, or `None` if it cannot start (never the case for
/// DFAs built by this module, which have no look-behind and no quit bytes).
pub(crate) fn start_state<A: Automaton>(dfa: &A) -> Option<StateID> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .ok()
}

/// Whether state `s` accepts if the input ends here.
pub(crate) fn is_final<A: Automaton>(dfa: &A, s: StateID) -> bool {
    dfa.is_match_state(dfa.next_eoi_state(s))
}

/// Whether `dfa` (built anchored with `\A...\z`) accepts the whole of `input`.
pub(crate) fn accepts<A: Automaton>(dfa: &A, input: &[u8]) -> bool {
    let Some(mut s) = start_state(dfa) else {
        return false;
    };
    for &b in input {
        s = dfa.next_state(s, b);
        if dfa.is_dead_state(s) || dfa.is_quit_state(s) {
            return false;
        }
    }
    is_final(dfa, s)
}

/// Whether `dfa` accepts at least one string (over all 256 bytes).
pub(crate) fn is_nonempty(dfa: &Dfa) -> bool {
    let Some(s0) = start_state(dfa) else {
        return false;
    };
    let mut seen = std::collections::HashSet::from([s0]);
    let mut queue = VecDeque::from([s0]);
    while let Some(s) = queue.pop_front() {
        if is_final(dfa, s) {
            return true;
        }
        for b in 0..=255u8 {
            let t = dfa.next_state(s, b);
            if !dfa.is_dead_state(t) && !dfa.is_quit_state(t) && seen.insert(t) {
                queue.push_back(t);
            }
        }
    }
    false
}

/// Most factors a product search takes (the regex, the two origin factors and two
/// more).
pub(crate) const MAX_FACTORS: usize = 6;

/// A tuple of states, one per factor (unused slots zero): a fixed-size key, so that
/// exploring a product allocates nothing per step.
type Tuple = [StateID; MAX_FACTORS];

/// One DFA of a product search, possibly complemented.
#[derive(Clone, Copy)]
pub(crate) struct Factor<'a> {
    /// The automaton.
    pub dfa: &'a Dfa,
    /// Search its complement (strings it rejects) instead of its language.
    pub negate: bool,
}

impl<'a> Factor<'a> {
    /// The language of `dfa`.
    pub fn is(dfa: &'a Dfa) -> Self {
        Factor { dfa, negate: false }
    }
    /// The complement of the language of `dfa`.
    pub fn not(dfa: &'a Dfa) -> Self {
        Factor { dfa, negate: true }
    }
}

/// A deterministic budget for one policy's whole regex analysis, counted in steps: one
/// step per DFA transition taken by a search or a probe, and one per transition-table
/// entry of every DFA built. Counting work instead of measuring time makes a build
/// reproducible: the same policy passes or fails the same way on every machine.
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
}

/// The budget ran out: the regex cannot be proved safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OverBudget;

impl Budget {
    /// A budget of `steps`.
    pub fn new(steps: u64) -> Budget {
        Budget { left: steps }
    }

    /// Spends `steps`, or fails (spending what is left) when there are not enough.
    pub fn spend(&mut self, steps: u64) -> Result<(), OverBudget> {
        match self.left.checked_sub(steps) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(OverBudget)
            }
        }
    }

    /// The steps left.
    #[cfg(test)]
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Whether nothing is left.
    pub fn is_spent(&self) -> bool {
        self.left == 0
    }
}

/// [`accepts`], paid for from `budget`.
pub(crate) fn accepts_paid(
    dfa: &Dfa,
    input: &[u8],
    budget: &mut Budget,
) -> Result<bool, OverBudget> {
    budget.spend(input.len() as u64 + 1)?;
    Ok(accepts(dfa, input))
}

/// Finds a shortest string over `alphabet` that every factor accepts (or, negated,
/// rejects). Breadth-first over tuples of states, bytes tried in `alphabet` order.
/// A non-negated factor in its dead state prunes the tuple.
pub(crate) fn shortest(
    factors: &[Factor<'_>],
    alphabet: &[u8],
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, OverBudget> {
    assert!(factors.len() <= MAX_FACTORS, "too many factors");
    let mut first: Tuple = [StateID::ZERO; MAX_FACTORS];
    for (slot, f) in first.iter_mut().zip(factors) {
        match start_state(f.dfa) {
            Some(s) => *slot = s,
            None => return Ok(None),
        }
    }
    let accepting = |tuple: &Tuple| {
        factors
            .iter()
            .zip(tuple)
            .all(|(f, &s)| is_final(f.dfa, s) != f.negate)
    };
    let per_tuple = (alphabet.len() * factors.len()) as u64;
    let mut index: HashMap<Tuple, usize> = HashMap::new();
    let mut tuples: Vec<Tuple> = Vec::new();
    let mut parent: Vec<(usize, u8)> = Vec::new();
    index.insert(first, 0);
    tuples.push(first);
    parent.push((usize::MAX, 0));
    let mut queue = VecDeque::from([0usize]);
    while let Some(i) = queue.pop_front() {
        if accepting(&tuples[i]) {
            let mut out = Vec::new();
            let mut j = i;
            while parent[j].0 != usize::MAX {
                out.push(parent[j].1);
                j = parent[j].0;
            }
            out.reverse();
            return Ok(Some(out));
        }
        budget.spend(per_tuple)?;
        'bytes: for &b in alphabet {
            let mut next: Tuple = [StateID::ZERO; MAX_FACTORS];
            for ((f, &s), slot) in factors.iter().zip(&tuples[i]).zip(&mut next) {
                let t = f.dfa.next_state(s, b);
                if !f.negate && (f.dfa.is_dead_state(t) || f.dfa.is_quit_state(t)) {
                    continue 'bytes;
                }
                *slot = t;
            }
            if index.contains_key(&next) {
                continue;
            }
            index.insert(next, tuples.len());
            parent.push((i, b));
            queue.push_back(tuples.len());
            tuples.push(next);
        }
    }
    Ok(None)
}

/// Witness strings of `user` that every factor of `shape` also accepts (or, negated,
/// rejects): for every state of `user` reachable by a prefix the shape allows, the
/// first such prefix found breadth-first (bytes in `alphabet` order) followed by the
/// shortest completion all accept.
///
/// Taking one prefix per state of `user` (not per tuple of states) is what makes the
/// witnesses read the regex as its author meant: a `.` meta-character is first
/// reached by the byte `.`, so `api.example.com` yields `api.example.com`, not
/// `apixexample.com`.
pub(crate) fn witnesses(
    user: &Dfa,
    shape: &[Factor<'_>],
    alphabet: &[u8],
    budget: &mut Budget,
) -> Result<Vec<Vec<u8>>, OverBudget> {
    let mut factors = vec![Factor::is(user)];
    factors.extend_from_slice(shape);
    assert!(factors.len() <= MAX_FACTORS, "too many factors");
    let mut first: Tuple = [StateID::ZERO; MAX_FACTORS];
    for (slot, f) in first.iter_mut().zip(&factors) {
        match start_state(f.dfa) {
            Some(s) => *slot = s,
            None => return Ok(Vec::new()),
        }
    }
    let live = |f: &Factor<'_>, s: StateID| {
        f.negate || (!f.dfa.is_dead_state(s) && !f.dfa.is_quit_state(s))
    };
    let step = |tuple: &Tuple, b: u8| -> Option<Tuple> {
        let mut next: Tuple = [StateID::ZERO; MAX_FACTORS];
        for ((f, &s), slot) in factors.iter().zip(tuple).zip(&mut next) {
            *slot = f.dfa.next_state(s, b);
            if !live(f, *slot) {
                return None;
            }
        }
        Some(next)
    };
    let per_tuple = (alphabet.len() * factors.len()) as u64;
    // Forward exploration of the reachable product.
    let mut index: HashMap<Tuple, usize> = HashMap::new();
    let mut tuples: Vec<Tuple> = vec![first];
    let mut parent: Vec<(usize, u8)> = vec![(usize::MAX, 0)];
    let mut first_of_user: Vec<usize> = vec![0];
    let mut user_seen = std::collections::HashSet::from([first[0]]);
    let mut edges: Vec<Vec<(u8, usize)>> = Vec::new();
    index.insert(first, 0);
    let mut i = 0;
    while i < tuples.len() {
        budget.spend(per_tuple)?;
        let mut out = Vec::new();
        for &b in alphabet {
            let Some(next) = step(&tuples[i], b) else {
                continue;
            };
            let j = match index.get(&next) {
                Some(&j) => j,
                None => {
                    let j = tuples.len();
                    index.insert(next, j);
                    if user_seen.insert(next[0]) {
                        first_of_user.push(j);
                    }
                    tuples.push(next);
                    parent.push((i, b));
                    j
                }
            };
            out.push((b, j));
        }
        edges.push(out);
        i += 1;
    }
    // Distance of every tuple to an accepting one, by a backward breadth-first search.
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); tuples.len()];
    for (i, out) in edges.iter().enumerate() {
        for &(_, j) in out {
            reverse[j].push(i);
        }
    }
    let accepting = |tuple: &Tuple| {
        factors
            .iter()
            .zip(tuple)
            .all(|(f, &s)| is_final(f.dfa, s) != f.negate)
    };
    let mut dist = vec![usize::MAX; tuples.len()];
    let mut queue = VecDeque::new();
    for (i, t) in tuples.iter().enumerate() {
        if accepting(t) {
            dist[i] = 0;
            queue.push_back(i);
        }
    }
    while let Some(j) = queue.pop_front() {
        for &i in &reverse[j] {
            if dist[i] == usize::MAX {
                dist[i] = dist[j] + 1;
                queue.push_back(i);
            }
        }
    }
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &p in &first_of_user {
        if dist[p] == usize::MAX {
            continue;
        }
        let mut prefix = Vec::new();
        let mut j = p;
        while parent[j].0 != usize::MAX {
            prefix.push(parent[j].1);
            j = parent[j].0;
        }
        prefix.reverse();
        budget.spend(prefix.len() as u64)?;
        let mut cur = p;
        while dist[cur] > 0 {
            budget.spend(edges[cur].len() as u64)?;
            // A tuple at finite distance always has a successor one step closer.
            let Some(&(b, j)) = edges[cur]
                .iter()
                .find(|&&(_, j)| dist[j] != usize::MAX && dist[j] + 1 == dist[cur])
            else {
                break;
            };
            prefix.push(b);
            cur = j;
        }
        if seen.insert(prefix.clone()) {
            out.push(prefix);
        }
    }
    Ok(out)
}

/// An origin `scheme://LABELS.S[.]PORT` that `dfa` accepts, with one or more labels
/// before a rule `S` of `rules` (`*.x` rules need one more label), `PORT` being `port`
/// or none. Walks `dfa` itself: the states after `scheme://` and one or more
/// `label.` (labels of `a-z0-9-`), then each rule from each of them, so that hundreds
/// of rules cost no DFA construction.
pub(crate) fn under_suffixes(
    dfa: &Dfa,
    scheme: &str,
    port: &str,
    rules: &[&str],
    budget: &mut Budget,
) -> Result<Option<String>, OverBudget> {
    const LABEL: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let Some(mut s) = start_state(dfa) else {
        return Ok(None);
    };
    for &b in scheme.as_bytes().iter().chain(b"://") {
        s = dfa.next_state(s, b);
    }
    let dead = |s: StateID| dfa.is_dead_state(s) || dfa.is_quit_state(s);
    if dead(s) {
        return Ok(None);
    }
    // Breadth-first over (state, labels read so far capped at 2, inside a label).
    type Node = (StateID, u8, bool);
    let mut parent: HashMap<Node, Option<(Node, u8)>> = HashMap::new();
    let root: Node = (s, 0, false);
    parent.insert(root, None);
    let mut queue = VecDeque::from([root]);
    let mut after_dot: Vec<Node> = Vec::new();
    while let Some(node @ (s, labels, in_label)) = queue.pop_front() {
        budget.spend(LABEL.len() as u64 + 1)?;
        if labels > 0 && !in_label {
            after_dot.push(node);
        }
        let mut next = |b: u8, n: Node, queue: &mut VecDeque<Node>| {
            if !dead(n.0) && !parent.contains_key(&n) {
                parent.insert(n, Some((node, b)));
                queue.push_back(n);
            }
        };
        for &b in LABEL {
            next(b, (dfa.next_state(s, b), labels, true), &mut queue);
        }
        if in_label {
            next(
                b'.',
                (dfa.next_state(s, b'.'), (labels + 1).min(2), false),
                &mut queue,
            );
        }
    }
    let path = |mut n: Node| {
        let mut out = Vec::new();
        while let Some(Some((p, b))) = parent.get(&n) {
            out.push(*b);
            n = *p;
        }
        out.reverse();
        String::from_utf8_lossy(&out).into_owned()
    };
    for rule in rules {
        let (needs, tail) = match rule.strip_prefix("*.") {
            Some(parent) => (2, parent),
            None => (1, *rule),
        };
        for &node in after_dot.iter().filter(|n| n.1 >= needs) {
            budget.spend((tail.len() + port.len() + 2) as u64)?;
            let mut s = node.0;
            for &b in tail.as_bytes() {
                s = dfa.next_state(s, b);
            }
            for end in ["", "."] {
                for p in ["", port] {
                    let mut t = s;
                    for &b in end.as_bytes().iter().chain(p.as_bytes()) {
                        t = dfa.next_state(t, b);
                    }
                    if is_final(dfa, t) {
                        return Ok(Some(format!("{scheme}://{}{tail}{end}{p}", path(node))));
                    }
                }
            }
        }
    }
    Ok(None)
}
