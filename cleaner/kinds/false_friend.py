"""Kind ``false-friend``: an English word a translation took from its look-alike.

`actually` for the French `actuellement` (currently), `eventually` for the
German `eventuell` (possibly), `sensible` for `sensible`/`sensibel`
(sensitive): the English word exists, so nothing looks wrong, but the
sentence may mean something else. Which words are suspect depends on the
source language, so the rule runs only when the document's source language
is known or inferred, and looks only for that language's false friends.
Findings are reported with the likely meaning as the suggestion; whether
the word is meant as in English is for a person to judge, so rules of this
kind should be ``display``.

Parameters: ``friends_file``, a tab-separated file beside the pack with four
columns, ``source language<TAB>English word<TAB>source word<TAB>likely
meaning`` (``#`` comments allowed). English words match whole, in any case
of their first letter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Document
from ..matching import compile_regex, trie_pattern
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, pack_file, param


@dataclass(frozen=True)
class Params(KindParams):
    friends_file: str = param(doc="TSV: lang, English word, source word, meaning")


COLUMNS = 4


@dataclass(frozen=True)
class FalseFriend:
    english: str
    source_word: str
    meaning: str


def read_table(pack_dir: str, name: str) -> dict[str, list[FalseFriend]]:
    """source language -> its false friends, from a TSV file inside the pack's directory."""
    path = pack_file(pack_dir, name)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"cannot read friends_file {name!r}: {exc.strerror}") from None
    table: dict[str, list[FalseFriend]] = defaultdict(list)
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != COLUMNS or not all(parts):
            raise ValueError(
                f"{name}:{number}: expected 'lang<TAB>English<TAB>source word<TAB>meaning'"
            )
        lang, english, source_word, meaning = parts
        if english != english.lower():
            raise ValueError(f"{name}:{number}: write the English word in lower case")
        table[lang].append(FalseFriend(english, source_word, meaning))
    if not table:
        raise ValueError(f"{name}: no entries")
    return dict(table)


def by_language(rule: Rule) -> dict:
    """source language -> (one pattern for its false friends, English word -> friend)."""
    table = read_table(rule.directory, rule.params.friends_file)
    by_lang = {}
    for lang, friends in table.items():
        lookup = {f.english: f for f in friends}
        # Any case here; find() keeps only a capital first letter (a sentence start).
        pattern = compile_regex(rf"(?i)\b(?:{trie_pattern(sorted(lookup))})\b")
        by_lang[lang] = (pattern, lookup)
    return by_lang


@kind("false-friend", phase="inline", params=Params)
class FalseFriends(RuleGroup):
    compile_rule = staticmethod(by_language)

    def find(self, doc: Document) -> Iterator[Candidate]:
        if doc.source_lang is None:
            return
        for rule in self.rules:
            entry = self.compiled[rule.code].get(doc.source_lang)
            if entry is None:
                continue
            pattern, lookup = entry
            for m in pattern.finditer(doc.text):
                found = m.group(0)
                friend = lookup.get(found.lower())
                # Only the first letter may differ in case: "ACTUALLY" in a headline is shouting.
                if friend is None or found[1:] != friend.english[1:]:
                    continue
                meaning = friend.meaning
                if found[:1].isupper():
                    meaning = meaning[:1].upper() + meaning[1:]
                message = (
                    f"'{found}' may render the {doc.source_lang} '{friend.source_word}', "
                    f"which means '{friend.meaning}'"
                )
                yield Candidate(m.start(), m.end(), meaning, rule, message=message)
