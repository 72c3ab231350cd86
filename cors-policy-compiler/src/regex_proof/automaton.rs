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

/// The outcome of a product search.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Search {
    /// A shortest string in the intersection.
    Found(Vec<u8>),
    /// The intersection is empty (over the searched alphabet): a proof.
    Empty,
    /// The search visited more tuples of states than its budget allowed.
    OverBudget,
}

/// Finds a shortest string over `alphabet` that every factor accepts (or, negated,
/// rejects). Breadth-first over tuples of states, bytes tried in `alphabet` order.
/// A non-negated factor in its dead state prunes the tuple.
pub(crate) fn shortest(factors: &[Factor<'_>], alphabet: &[u8], budget: usize) -> Search {
    let mut first = Vec::with_capacity(factors.len());
    for f in factors {
        match start_state(f.dfa) {
            Some(s) => first.push(s),
            None => return Search::Empty,
        }
    }
    let accepting = |tuple: &[StateID]| {
        factors
            .iter()
            .zip(tuple)
            .all(|(f, &s)| is_final(f.dfa, s) != f.negate)
    };
    let mut index: HashMap<Vec<StateID>, usize> = HashMap::new();
    let mut tuples: Vec<Vec<StateID>> = Vec::new();
    let mut parent: Vec<(usize, u8)> = Vec::new();
    index.insert(first.clone(), 0);
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
            return Search::Found(out);
        }
        'bytes: for &b in alphabet {
            let mut next = Vec::with_capacity(factors.len());
            for (f, &s) in factors.iter().zip(&tuples[i]) {
                let t = f.dfa.next_state(s, b);
                if !f.negate && (f.dfa.is_dead_state(t) || f.dfa.is_quit_state(t)) {
                    continue 'bytes;
                }
                next.push(t);
            }
            if index.contains_key(&next) {
                continue;
            }
            if tuples.len() >= budget {
                return Search::OverBudget;
            }
            index.insert(next.clone(), tuples.len());
            parent.push((i, b));
            queue.push_back(tuples.len());
            tuples.push(next);
        }
    }
    Search::Empty
}

/// Witness strings of `user` that `shape` also accepts: for every state of `user`
/// reachable by a prefix `shape` allows, the first such prefix found breadth-first
/// (bytes in `alphabet` order) followed by the shortest completion both accept.
///
/// Taking one prefix per state of `user` (not per pair of states) is what makes the
/// witnesses read the regex as its author meant: a `.` meta-character is first
/// reached by the byte `.`, so `api.example.com` yields `api.example.com`, not
/// `apixexample.com`. Returns `None` over `budget` pairs.
pub(crate) fn witnesses(
    user: &Dfa,
    shape: &Dfa,
    alphabet: &[u8],
    budget: usize,
) -> Option<Vec<Vec<u8>>> {
    let (Some(u0), Some(s0)) = (start_state(user), start_state(shape)) else {
        return Some(Vec::new());
    };
    let live = |dfa: &Dfa, s: StateID| !dfa.is_dead_state(s) && !dfa.is_quit_state(s);
    // Forward exploration of the reachable product.
    let mut index: HashMap<(StateID, StateID), usize> = HashMap::new();
    let mut pairs: Vec<(StateID, StateID)> = vec![(u0, s0)];
    let mut parent: Vec<(usize, u8)> = vec![(usize::MAX, 0)];
    let mut first_of_user: Vec<usize> = vec![0];
    let mut user_seen = std::collections::HashSet::from([u0]);
    index.insert((u0, s0), 0);
    let mut i = 0;
    while i < pairs.len() {
        let (u, s) = pairs[i];
        for &b in alphabet {
            let (nu, ns) = (user.next_state(u, b), shape.next_state(s, b));
            if !live(user, nu) || !live(shape, ns) || index.contains_key(&(nu, ns)) {
                continue;
            }
            if pairs.len() >= budget {
                return None;
            }
            index.insert((nu, ns), pairs.len());
            if user_seen.insert(nu) {
                first_of_user.push(pairs.len());
            }
            pairs.push((nu, ns));
            parent.push((i, b));
        }
        i += 1;
    }
    // Distance of every pair to an accepting pair, by a backward breadth-first search.
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); pairs.len()];
    for (i, &(u, s)) in pairs.iter().enumerate() {
        for &b in alphabet {
            if let Some(&j) = index.get(&(user.next_state(u, b), shape.next_state(s, b))) {
                reverse[j].push(i);
            }
        }
    }
    let mut dist = vec![usize::MAX; pairs.len()];
    let mut queue = VecDeque::new();
    for (i, &(u, s)) in pairs.iter().enumerate() {
        if is_final(user, u) && is_final(shape, s) {
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
        let mut cur = p;
        while dist[cur] > 0 {
            let (u, s) = pairs[cur];
            let step = alphabet.iter().find_map(|&b| {
                let j = *index.get(&(user.next_state(u, b), shape.next_state(s, b)))?;
                (dist[j] != usize::MAX && dist[j] + 1 == dist[cur]).then_some((b, j))
            });
            // A pair at finite distance always has a successor one step closer.
            let Some((b, j)) = step else { break };
            prefix.push(b);
            cur = j;
        }
        if !out.contains(&prefix) {
            out.push(prefix);
        }
    }
    Some(out)
}
