"""Language codes as settings: one check for the command line and configuration files.

``--lang`` and ``--source-lang`` (and the ``lang``/``source-lang`` keys) take
ISO 639-1 codes. A code that names no language (``xx``), a language name
(``english``) or a code in capitals (``EN``) used to be accepted on the
command line and silently turned every language rule off, while the same
value in a configuration file was rejected: now both go through
:func:`language_code`, which lower-cases a code and refuses anything else.
"""

from __future__ import annotations

_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
#: Every ISO 639-1 code (two letters).
ISO_639_1 = frozenset(_CODES.split())
#: ``--source-lang none``: never infer a source language.
NO_SOURCE_LANG = "none"


def language_code(value: str, *, allow_none: bool = False) -> str:
    """``value`` as a lower-case ISO 639-1 code (raises ``ValueError`` with the reason)."""
    code = value.strip().lower()
    if allow_none and code == NO_SOURCE_LANG:
        return code
    if code in ISO_639_1:
        return code
    expected = "an ISO 639-1 code like 'en'" + (" or 'none'" if allow_none else "")
    raise ValueError(f"must be {expected}, got {value!r}")
