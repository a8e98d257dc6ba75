"""Candidate selection (blocking): find the few listed names worth scoring for a query.

Scoring one query against every name of a 50,000-entity list costs tens of milliseconds in
Python; checkout and order import need well under one. So the index keeps inverted maps
from cheap keys to names and scores only the names that share keys with the query:

* the **vocabulary** of normalised tokens (after transliteration, see
  :mod:`cbec.screening.names`), each with its postings (the name forms containing it) and
  an inverse-document-frequency weight ``log(1 + forms / postings)`` — a rare surname
  says more than "mohammed";
* for typos, a **deletion neighbourhood** (SymSpell): every token of ≥ 4 letters is also
  filed under each string made by deleting one of its letters, so any two tokens one edit
  apart (insertion, deletion, substitution, adjacent swap) share a key;
* for spelling variants beyond one edit, the **metaphone** key and the transliteration
  **skeleton** of each token ("Mohammed" / "Muhammad", "Vitaliy" / "Vitalij");
* the **compact** form (all tokens run together) for names written with different spacing
  ("Abdulrahman", "Shenzhen Moumou Keji" vs the syllables of 深圳某某科技), and adjacent
  pinyin syllable pairs of Chinese organisation names;
* **ID numbers** → entities, so a query with a matching identifier always finds its party.

A query's tokens are looked up in these maps; each name form collects, per query token, the
best ``match factor × idf`` (exact 1.0, one edit 0.8 — less for words under 4 letters,
skeleton 0.7, metaphone 0.6), and the sum over tokens ranks the forms (a whole-name compact
agreement adds ``COMPACT_WEIGHT`` × the largest idf). The best ``limit`` forms are returned
for full scoring — or, when more than ``limit`` tie for first place, all of those (up to
``TIE_FACTOR × limit``), because a list may hold dozens of parties with the same name and
each must be scored.

Tokens so common that their postings exceed ``common_cap`` (1 % of the forms, at least
500) only re-rank names already found by rarer tokens (or, if every token is common, the
intersection of their postings), which keeps a query for "Mohammed Ali" from touching
thousands of names; fuzzy matches (one edit, skeleton, metaphone) do the same above
``fuzzy_cap`` (an eighth of that, at least 64). A query initial ("J.") adds
``INITIAL_WEIGHT`` to those of the best ``POOL_FACTOR × limit`` names that have a token
starting with that letter.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from cbec.screening.model import ListedEntity, ListedName, ListVersion, ScreeningList
from cbec.screening.names import NameForm, metaphone, name_forms, skeleton
from cbec.screening.qualifiers import PartialDate, all_id_keys, parse_all_dates

EXACT, ONE_EDIT, SKELETON, PHONETIC = 1.0, 0.8, 0.7, 0.6
COMPACT_WEIGHT = 2.0  # × the largest idf: a whole-name agreement outranks any one token
INITIAL_WEIGHT = 1.0  # a query initial agreeing with the first letter of a listed token
TIE_FACTOR = 4  # up to 4 × limit names when they tie for first place ("Li Wei")
POOL_FACTOR = 8  # names re-ranked by a query's initials: 8 × limit
FUZZY_CAP_MIN = 64  # a fuzzy match with more names than this only re-ranks
DEFAULT_CANDIDATES = 24
MIN_DELETE_LEN = 4


@dataclass(frozen=True, slots=True)
class IndexedForm:
    """One normalised form of one listed name of one entity."""

    entity: int  # position in ScreeningIndex.entities
    name: ListedName
    form: NameForm


def keys_of(form: NameForm) -> tuple[str, ...]:
    """The tokens a form is filed under: its words; for a form of single pinyin syllables
    only the syllable pairs of an organisation name (single syllables would tie it to every
    Chinese person; a person's syllable form is found through its joined form)."""
    return form.blocking if form.syllabic else (*form.tokens, *form.blocking)


def deletions(token: str) -> set[str]:
    """The token and every string one deletion away from it (for tokens of ≥ 4 letters)."""
    if len(token) < MIN_DELETE_LEN:
        return {token}
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


class ScreeningIndex:
    """All loaded lists, normalised once, with the blocking maps described above."""

    def __init__(self, lists: Iterable[ScreeningList], *, common_cap: int | None = None):
        self.lists: tuple[ScreeningList, ...] = tuple(lists)
        self.versions: tuple[ListVersion, ...] = tuple(lst.version for lst in self.lists)
        self.version_dicts = tuple(v.as_dict() for v in self.versions)  # for every Result
        self.entities: list[ListedEntity] = []
        self.forms: list[IndexedForm] = []
        self.entity_forms: list[list[int]] = []
        self.entity_dates: list[list[PartialDate]] = []
        self.entity_ids: list[frozenset[str]] = []
        self._vocab: dict[str, int] = {}
        self._postings: list[list[int]] = []
        self._by_delete: dict[str, list[int]] = {}
        self._by_skeleton: dict[str, list[int]] = {}
        self._by_sound: dict[str, list[int]] = {}
        self._by_compact: dict[str, list[int]] = {}
        self._by_id: dict[str, list[int]] = {}
        seen: set[str] = set()
        for lst in self.lists:
            for entity in lst.entities:
                if entity.id in seen:  # the same party from two files: keep the first
                    continue
                seen.add(entity.id)
                self._add(entity)
        n = max(1, len(self.forms))
        self._idf = [math.log(1.0 + n / len(p)) for p in self._postings]
        self._max_idf = max(self._idf, default=1.0)
        self.common_cap = common_cap or max(500, n // 100)
        self.fuzzy_cap = max(FUZZY_CAP_MIN, self.common_cap // 8)
        self._posting_sets = {
            vid: frozenset(p) for vid, p in enumerate(self._postings) if len(p) > self.fuzzy_cap
        }

    # --- build ------------------------------------------------------------------------------

    def _vid(self, token: str) -> int:
        vid = self._vocab.get(token)
        if vid is None:
            vid = self._vocab[token] = len(self._postings)
            self._postings.append([])
            for key in deletions(token):
                self._by_delete.setdefault(key, []).append(vid)
            if len(token) >= 3:
                self._by_skeleton.setdefault(skeleton(token), []).append(vid)
                sound = metaphone(token)
                if len(sound) >= 2:
                    self._by_sound.setdefault(sound, []).append(vid)
        return vid

    def _add(self, entity: ListedEntity) -> None:
        e = len(self.entities)
        self.entities.append(entity)
        self.entity_dates.append(parse_all_dates(entity.birth_dates))
        ids = all_id_keys(entity.id_numbers)
        self.entity_ids.append(ids)
        for key in ids:
            self._by_id.setdefault(key, []).append(e)
        organisation = not entity.is_person
        mine: list[int] = []
        known: set[tuple[str, ...]] = set()
        for name in entity.names:
            for form in name_forms(name.text, organisation):
                if form.tokens in known:
                    continue
                known.add(form.tokens)
                f = len(self.forms)
                self.forms.append(IndexedForm(e, name, form))
                mine.append(f)
                for token in set(keys_of(form)):
                    if len(token) >= 2:
                        self._postings[self._vid(token)].append(f)
                self._by_compact.setdefault(form.compact, []).append(f)
        self.entity_forms.append(mine)

    # --- query ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entities)

    def token_matches(self, token: str) -> dict[int, float]:
        """Vocabulary ids that may be ``token``, with their match factor."""
        hits: dict[int, float] = {}
        vid = self._vocab.get(token)
        if vid is not None:
            hits[vid] = EXACT
        one_edit = min(ONE_EDIT, 1.0 - 1.0 / (len(token) + 1))  # short words: weaker evidence
        for v in self._by_delete.get(token, ()):  # listed tokens one letter longer
            if v not in hits:
                hits[v] = one_edit
        if len(token) >= MIN_DELETE_LEN:
            for key in deletions(token):
                for v in self._by_delete.get(key, ()):
                    if hits.get(v, 0.0) < one_edit:
                        hits[v] = one_edit
        if len(token) >= 3:
            for v in self._by_skeleton.get(skeleton(token), ()):
                if hits.get(v, 0.0) < SKELETON:
                    hits[v] = SKELETON
            sound = metaphone(token)
            if len(sound) >= 2:
                for v in self._by_sound.get(sound, ()):
                    if v not in hits:
                        hits[v] = PHONETIC
        return hits

    def candidates(
        self,
        forms: Sequence[NameForm],
        *,
        limit: int = DEFAULT_CANDIDATES,
    ) -> list[int]:
        """Positions in ``self.forms`` of the best ``limit`` candidates for ``forms``."""
        scores: dict[int, float] = {}
        tokens: dict[str, None] = {}
        initials: set[str] = set()
        for form in forms:
            for token in keys_of(form):
                if len(token) >= 2:
                    tokens.setdefault(token, None)
                elif token.isalpha():
                    initials.add(token)
        rare: list[dict[int, float]] = []  # per query token: form → best weight
        common: list[list[tuple[float, int]]] = []  # per query token: (weight, vid)
        for token in tokens:
            local: dict[int, float] = {}
            frequent: list[tuple[float, int]] = []
            for vid, factor in self.token_matches(token).items():
                weight = factor * self._idf[vid]
                postings = self._postings[vid]
                cap = self.common_cap if factor == EXACT else self.fuzzy_cap
                if len(postings) > cap:
                    frequent.append((weight, vid))
                    continue
                for f in postings:
                    if local.get(f, 0.0) < weight:
                        local[f] = weight
            for f, weight in local.items():
                scores[f] = scores.get(f, 0.0) + weight
            rare.append(local)
            common.append(frequent)
        bonus = COMPACT_WEIGHT * self._max_idf
        for form in forms:
            for f in self._by_compact.get(form.compact, ()):
                scores[f] = scores.get(f, 0.0) + bonus
        if not scores and any(common):
            for f in self._common_intersection(common, initials):
                scores[f] = 0.0
        if any(common):
            # Common tokens re-rank every candidate: each query token still counts once per
            # name, with the best of its rare and common matches. Set intersections keep
            # this in C: a common token's postings are only walked where they meet.
            keys = set(scores)
            for local, frequent in zip(rare, common, strict=True):
                if not frequent:
                    continue
                done: set[int] = set()
                for weight, vid in sorted(frequent, reverse=True):
                    for f in (self._posting_sets[vid] & keys) - done:
                        done.add(f)
                        have = local.get(f, 0.0)
                        if weight > have:
                            scores[f] += weight - have
        if initials:  # "J. Hao": among the Haos, those with a J-name first
            pool = limit * POOL_FACTOR
            if len(scores) > pool:
                scores = dict(heapq.nlargest(pool, scores.items(), key=itemgetter(1)))
            forms_ = self.forms
            for f in scores:
                if any(len(t) > 1 and t[0] in initials for t in forms_[f].form.tokens):
                    scores[f] += INITIAL_WEIGHT
        if len(scores) <= limit:
            return sorted(scores, key=scores.__getitem__, reverse=True)
        top = heapq.nlargest(limit * TIE_FACTOR, scores.items(), key=itemgetter(1))
        if top[limit - 1][1] < top[0][1]:
            return [f for f, _ in top[:limit]]
        floor = top[0][1]  # more than `limit` names tie for first place: keep them all
        return [f for f, score in top if score >= floor]

    def _common_intersection(
        self, common: list[list[tuple[float, int]]], initials: set[str]
    ) -> set[int]:
        """Forms that contain (a variant of) each of the two most specific common tokens —
        or, for one common token and an initial ("J. Hao"), the forms with both."""
        groups = []
        for frequent in common:
            if frequent:
                members: set[int] = set()
                for _, vid in frequent:
                    members.update(self._posting_sets[vid])
                groups.append(members)
        groups.sort(key=len)
        if len(groups) >= 2:
            return groups[0] & groups[1]
        if groups and initials:
            return {
                f
                for f in groups[0]
                if any(len(t) > 1 and t[0] in initials for t in self.forms[f].form.tokens)
            }
        return set()  # one common token alone is not a name match; compact keys cover it

    def entities_with_ids(self, keys: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for key in keys:
            out.update(self._by_id.get(key, ()))
        return out
