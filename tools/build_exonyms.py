"""Build ``rules/glossary/exonyms-en.tsv``: foreign exonyms -> English place names.

Machine translation into English from French, German, Spanish, Italian and
Portuguese often leaves the source language's name for a place untouched
(``Bagdad``, ``Téhéran``, ``Wien``, ``Allemagne``, ``Londres``). The glossary
rule that loads this table replaces such whole-word occurrences with the
English name. A wrong replacement damages real article text, so the table
trades recall for precision: anything that could be legitimate English is
left out.

Source
    The Unicode CLDR data shipped with Babel, which is maintained and
    versioned: the localized names of countries and territories
    (``Locale(lang).territories``; codes of two letters only, minus the
    non-country codes in ``NON_COUNTRY_CODES``) and the exemplar cities of the
    CLDR time zones (``babel.dates.get_timezone_location(..., return_city=True)``
    for every zone in CLDR's own zone list). The English name is the one CLDR
    gives for locale ``en``; ``ENGLISH_OVERRIDES`` applies CLDR's own short or
    variant English forms (which Babel does not expose) where the default
    form is not how news text writes the name. The zone list is CLDR's, not
    the system tz database's, and the zone objects handed to Babel carry only
    their name, so the output depends on the Babel version alone.

    Languages: fr, de, es, it and pt (Brazilian ``pt`` plus European
    ``pt_PT``, both reported as ``pt``).

    ``SUPPLEMENT`` adds a short reviewed list of major cities and regions
    that CLDR's time-zone cities miss (``München``, ``Mailand``,
    ``Cisjordanie``, ...).

Filters, applied in this order; a candidate is dropped by the first that hits
    same        the variant is the English name itself.
    english     the English name is unusable as a replacement: it contains
                ``/ , ( [ &``, `` - `` or `` SAR `` (``Congo - Kinshasa``,
                ``Macao SAR China``, ``Knox, Indiana``) or is a CLDR
                exemplar that is not the standalone English name
                (``BAD_ENGLISH``: ``Canary``, ``Tirane``, ...).
    chars       the variant contains parentheses, brackets, commas, slashes,
                semicolons, digits or a soft hyphen (CLDR labels such as
                ``Tripoli (Libye)``, not names found in running text).
    short       the variant is shorter than 4 characters (``Rom``, ``Irã``).
    spelling    CLDR only: the variant differs from the English name only
                by accents, apostrophes, hyphens, spaces or case (``São
                Paulo``, ``Zürich``, ``N’Djamena``, ``Porto Novo``). English
                text uses many of these spellings too, so they are not
                residue. ``ACCENT_RESIDUES`` lists the accented forms that
                English never uses (``Jérusalem``, ``Berlín``, ``Colômbia``).
    saint       CLDR only: the variant starts with Saint/Sainte/San/Santa/
                Santo/São/Sant’. Such hagionyms name countless other places
                (``San Cristóbal``, ``São Vicente``, ``Santa Elena``).
    collision   the variant (ignoring case) is the English name of any
                country or city in the tables (French ``Mexico`` is Mexico
                City, but ``Mexico`` is the country in English). This also
                rules out chains (a variant that is another entry's name).
    stoplist    the variant is in ``STOPLIST``: an English word, a first name
                or surname, another place's name, a name used inside English
                proper names (``Forza Italia``, ``Credit Suisse``,
                ``Alternative für Deutschland``, ``Sevilla FC``) or an
                accepted English spelling (``Macau``, ``Aktobe``, ``Kiev``).
    ambiguous   the variant (ignoring case) maps to different English names
                in different languages or tables (Spanish ``Túnez`` is both
                Tunisia and Tunis).

The hand supplement is reviewed entry by entry, so the ``spelling`` and
``saint`` filters do not apply to it (``Milán``, ``Saint-Pétersbourg``);
all the others do.

The script cannot ship an English dictionary, so the STOPLIST is the
reviewed result of checking the candidates against an English word list,
first names, place names and names of companies, parties and clubs.
``--check-words FILE`` prints the kept variants that are words in FILE (e.g.
``/usr/share/dict/words``) to help the next review; it never changes the
output. It currently reports ``Köln`` and ``Teheran``, which such word lists
carry as foreign or dated spellings and which are kept on purpose.

Run ``.venv/bin/python tools/build_exonyms.py`` from the repository root to
regenerate the table; the output is deterministic.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

try:
    import babel
    from babel import Locale
    from babel.core import get_cldr_version, get_global
    from babel.dates import get_timezone_location
except ImportError:  # the data tables below stay importable, e.g. by the tests
    babel = None

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "rules" / "glossary" / "exonyms-en.tsv"

# Reported language -> CLDR locales read for it.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "fr": ("fr",),
    "de": ("de",),
    "es": ("es",),
    "it": ("it",),
    "pt": ("pt", "pt_PT"),
}

SOURCES = ("country", "tz-city", "supplement")

# Two-letter CLDR territory codes that are not places: groupings, the unknown
# region and pseudo-locales.
NON_COUNTRY_CODES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})

# English names CLDR has as alt="short"/alt="variant" forms, used instead of
# the default English form, which news text does not use.
ENGLISH_OVERRIDES = {
    "HK": "Hong Kong",  # default: Hong Kong SAR China
    "MM": "Myanmar",  # default: Myanmar (Burma)
    "TR": "Turkey",  # default: Türkiye
    "VC": "St. Vincent and the Grenadines",  # default: St. Vincent & Grenadines
}

# CLDR English exemplar cities that are not what English text calls the
# place on its own, so nothing may be replaced by them.
BAD_ENGLISH = frozenset(
    {
        "Canary",  # Atlantic/Canary: the Canary Islands
        "Cayman",  # America/Cayman: the Cayman Islands
        "Comoro",  # Indian/Comoro: the Comoros
        "Faroe",  # Atlantic/Faroe: the Faroe Islands
        "Kanton",  # Pacific/Kanton: an atoll, also the German for canton
        "Macao",  # English news writes Macau
        "Oral",  # Asia/Oral: an English word
        "Syowa",  # Antarctic station
        "Tirane",  # English news writes Tirana
        "Unknown City",  # Etc/Unknown
    }
)

# Accent-only variants that are kept although they differ from the English
# name only by diacritics: no English text spells these names with accents.
ACCENT_RESIDUES = frozenset(
    {
        # Cities.
        "Adén",
        "Ammán",
        "Ámsterdam",
        "Bakú",
        "Berlín",
        "Chisináu",
        "Dubái",
        "Dubaï",
        "Dublín",
        "Hébron",
        "Hebrón",
        "Jérusalem",
        "Jerusalém",
        "Manágua",
        "Monróvia",
        "Nairóbi",
        "Nicósia",
        "París",
        "Séoul",
        "Seúl",
        "Shanghái",
        "Sídney",
        "Taipéi",
        "Trípoli",
        "Túnis",
        # Countries.
        "Albânia",
        "Arménia",
        "Armênia",
        "Austrália",
        "Áustria",
        "Bénin",
        "Benín",
        "Bolívia",
        "Bulgária",
        "Canadá",
        "Colômbia",
        "Estónia",
        "Estônia",
        "Gabón",
        "Gâmbia",
        "Haïti",
        "Haití",
        "Índia",
        "Indonésia",
        "Irán",
        "Israël",
        "Libéria",
        "Madagáscar",
        "Mauritânia",
        "Micronésia",
        "Mongólia",
        "Monténégro",
        "Namíbia",
        "Népal",
        "Nicarágua",
        "Nigéria",
        "Omán",
        "Pakistán",
        "Rússia",
        "Sénégal",
        "Somália",
        "Sudán",
        "Taïwan",
        "Taiwán",
        "Tanzânia",
        "Tunísia",
        "Turkménistan",
        "Turkmenistán",
        "Uzbekistán",
        "Viêt Nam",
        "Yémen",
        "Zâmbia",
    }
)

SAINT_PREFIXES = ("Saint ", "Saint-", "Sainte ", "Sainte-", "San ", "Santa ", "Santo ", "São ")
SAINT_PREFIXES += ("Sant’", "Sant'")

# Hand supplement: (language, variant, English name) for major cities and
# regions that CLDR's time-zone exemplar cities do not cover. Every entry was
# checked to be the usual name in that language and not a normal English
# spelling; native names that English uses in proper names (Milano, Napoli,
# Torino, Venezia, Sevilla, Peking) are deliberately absent.
SUPPLEMENT: tuple[tuple[str, str, str], ...] = (
    # German
    ("de", "München", "Munich"),
    ("de", "Köln", "Cologne"),
    ("de", "Mailand", "Milan"),
    ("de", "Neapel", "Naples"),
    ("de", "Florenz", "Florence"),
    ("de", "Venedig", "Venice"),
    ("de", "Genua", "Genoa"),
    ("de", "Genf", "Geneva"),
    ("de", "Nürnberg", "Nuremberg"),
    ("de", "Antwerpen", "Antwerp"),
    ("de", "Den Haag", "The Hague"),
    ("de", "Straßburg", "Strasbourg"),
    ("de", "Lüttich", "Liège"),
    ("de", "Sankt Petersburg", "St. Petersburg"),
    ("de", "Kiew", "Kyiv"),
    ("de", "Charkiw", "Kharkiv"),
    ("de", "Lwiw", "Lviv"),
    ("de", "Saporischschja", "Zaporizhzhia"),
    ("de", "Mykolajiw", "Mykolaiv"),
    ("de", "Sewastopol", "Sevastopol"),
    ("de", "Donezk", "Donetsk"),
    ("de", "Bachmut", "Bakhmut"),
    ("de", "Weißrussland", "Belarus"),
    ("de", "Tschetschenien", "Chechnya"),
    ("de", "Mossul", "Mosul"),
    ("de", "Falludscha", "Fallujah"),
    ("de", "Rakka", "Raqqa"),
    ("de", "Westjordanland", "West Bank"),
    ("de", "Gazastreifen", "Gaza Strip"),
    ("de", "Golanhöhen", "Golan Heights"),
    ("de", "Ostjerusalem", "East Jerusalem"),
    # French
    ("fr", "Anvers", "Antwerp"),
    ("fr", "La Haye", "The Hague"),
    ("fr", "Séville", "Seville"),
    ("fr", "Gênes", "Genoa"),
    ("fr", "Venise", "Venice"),
    ("fr", "Genève", "Geneva"),
    ("fr", "Francfort", "Frankfurt"),
    ("fr", "Hambourg", "Hamburg"),
    ("fr", "Édimbourg", "Edinburgh"),
    ("fr", "Saint-Pétersbourg", "St. Petersburg"),
    ("fr", "Pékin", "Beijing"),
    ("fr", "Marioupol", "Mariupol"),
    ("fr", "Bakhmout", "Bakhmut"),
    ("fr", "Sébastopol", "Sevastopol"),
    ("fr", "Crimée", "Crimea"),
    ("fr", "Tchétchénie", "Chechnya"),
    ("fr", "Mossoul", "Mosul"),
    ("fr", "Falloujah", "Fallujah"),
    ("fr", "Kirkouk", "Kirkuk"),
    ("fr", "Nadjaf", "Najaf"),
    ("fr", "Alep", "Aleppo"),
    ("fr", "Idleb", "Idlib"),
    ("fr", "Lattaquié", "Latakia"),
    ("fr", "Palmyre", "Palmyra"),
    ("fr", "Cisjordanie", "West Bank"),
    ("fr", "Bande de Gaza", "Gaza Strip"),
    ("fr", "Jérusalem-Est", "East Jerusalem"),
    ("fr", "La Mecque", "Mecca"),
    ("fr", "Médine", "Medina"),
    ("fr", "Djeddah", "Jeddah"),
    ("fr", "Abou Dhabi", "Abu Dhabi"),
    ("fr", "Hodeïda", "Hodeidah"),
    ("fr", "Alexandrie", "Alexandria"),
    ("fr", "Louxor", "Luxor"),
    ("fr", "Assouan", "Aswan"),
    ("fr", "Chiraz", "Shiraz"),
    ("fr", "Machhad", "Mashhad"),
    # Spanish
    ("es", "Múnich", "Munich"),
    ("es", "Milán", "Milan"),
    ("es", "Nápoles", "Naples"),
    ("es", "Ginebra", "Geneva"),
    ("es", "Turín", "Turin"),
    ("es", "Génova", "Genoa"),
    ("es", "Amberes", "Antwerp"),
    ("es", "La Haya", "The Hague"),
    ("es", "Fráncfort", "Frankfurt"),
    ("es", "Hamburgo", "Hamburg"),
    ("es", "Estrasburgo", "Strasbourg"),
    ("es", "Edimburgo", "Edinburgh"),
    ("es", "San Petersburgo", "St. Petersburg"),
    ("es", "Pekín", "Beijing"),
    ("es", "Nueva Delhi", "New Delhi"),
    ("es", "Ciudad del Cabo", "Cape Town"),
    ("es", "Járkov", "Kharkiv"),
    ("es", "Faluya", "Fallujah"),
    ("es", "Alepo", "Aleppo"),
    ("es", "Cisjordania", "West Bank"),
    ("es", "Franja de Gaza", "Gaza Strip"),
    ("es", "La Meca", "Mecca"),
    ("es", "Alejandría", "Alexandria"),
    ("es", "Bengasi", "Benghazi"),
    # Italian
    ("it", "Monaco di Baviera", "Munich"),
    ("it", "Norimberga", "Nuremberg"),
    ("it", "Anversa", "Antwerp"),
    ("it", "L’Aia", "The Hague"),
    ("it", "Siviglia", "Seville"),
    ("it", "Francoforte", "Frankfurt"),
    ("it", "Amburgo", "Hamburg"),
    ("it", "Pechino", "Beijing"),
    ("it", "Bassora", "Basra"),
    ("it", "Cisgiordania", "West Bank"),
    ("it", "Striscia di Gaza", "Gaza Strip"),
    ("it", "La Mecca", "Mecca"),
    ("it", "Alessandria d’Egitto", "Alexandria"),
    ("it", "Bengasi", "Benghazi"),
    # Portuguese
    ("pt", "Munique", "Munich"),
    ("pt", "Milão", "Milan"),
    ("pt", "Florença", "Florence"),
    ("pt", "Veneza", "Venice"),
    ("pt", "Genebra", "Geneva"),
    ("pt", "Antuérpia", "Antwerp"),
    ("pt", "Haia", "The Hague"),
    ("pt", "Sevilha", "Seville"),
    ("pt", "Pequim", "Beijing"),
    ("pt", "São Petersburgo", "St. Petersburg"),
    ("pt", "Cisjordânia", "West Bank"),
    ("pt", "Faixa de Gaza", "Gaza Strip"),
    ("pt", "Cidade do Cabo", "Cape Town"),
    ("pt", "Nova Déli", "New Delhi"),
)

# Variants never written to the table, whatever the source. Each group says
# why; the ``collision``, ``short`` and ``same`` filters already cover some
# of them, which keeps them safe if CLDR changes.
STOPLIST = frozenset(
    {
        # English words (capitalized at the start of a sentence or in titles).
        "Argentine",  # fr Argentina; the English adjective
        "Astrachan",  # de Astrakhan; astrakhan/astrachan fur
        "Bermudas",  # es/pt Bermuda; Bermuda shorts
        "Canton",  # fr/it Kanton; also the old name of Guangzhou
        "Chili",  # fr Chile
        "Chine",  # fr China; an English word (cut of meat, ravine)
        "Chypre",  # fr Cyprus; a perfume family
        "Christmas",  # fr/it/pt Christmas Island
        "Cocos",  # Cocos Islands
        "Grenade",  # fr Grenada
        "Island",  # de Iceland
        "Macassar",  # fr/pt Makassar; macassar oil
        "Maldive",  # it Maldives; the English adjective
        "Marquises",  # fr Marquesas; plural of marquise
        "Norfolk",  # Norfolk Island; also the English county
        "Oral",
        "Suède",  # fr Sweden; suède
        "Wake",  # Wake Island
        # First names and surnames.
        "Adelaida",  # es Adelaide
        "Alger",  # fr Algiers; Alger Hiss, Horatio Alger
        "Dominique",  # fr Dominica
        "Francia",  # es/it France; Francia Márquez (Colombia)
        "Kenia",  # de/es Kenya; Kenia López Rabadán (Mexico)
        "Guadalupe",  # es/pt Guadeloupe
        "Marchesi",  # it Marquesas; an Italian surname
        "Maurice",  # fr Mauritius
        "Malte",  # fr Malta; also a German first name (Malte Berg)
        "Mauricio",  # es Mauritius
        "Maurício",  # pt Mauritius
        "Pasqua",  # it Easter Island; Charles Pasqua
        "Riad",  # de/es Riyadh; Riad Salameh, Riad al-Maliki
        "Riyad",  # fr/it Riyadh; Riyad Mansour, Riyad Mahrez
        "Showa",  # ja era name; CLDR fr Syowa
        "Ho Chi Minh",  # it Ho Chi Minh City; the person
        # Other places, peoples or things with the same name.
        "Belén",  # es Belem; also Bethlehem
        "Congo",  # both Congos; English uses it for either
        "Duala",  # es Douala; the Duala people and language
        "Gana",  # pt Ghana; Spanish word, first name
        "Granada",  # es/pt Grenada; the Spanish city
        "Guiana",  # pt Guyana; the Guianas, French Guiana
        "Moldavia",  # es/it Moldova; the historical region
        "Navidad",  # es Christmas Island
        "Polonia",  # es/it Poland; the Polish diaspora
        "Ruanda",  # Rwanda; Ruanda-Urundi
        "Salvador",  # El Salvador; the Brazilian city
        "Sambia",  # de Zambia; the Sambia peninsula
        "Santiago",
        "Santiago de Chile",  # also written in English
        "Vienne",  # fr Vienna; the French town and river
        "Vilna",  # es Vilnius; historic English name (Vilna Gaon)
        "Alma Ata",  # Almaty; the Alma-Ata Declaration
        "Adem",  # pt_PT Aden; a Balkan and Turkish first name (Adem Jashari)
        "Ascension",  # de Ascension Island; an English word
        "Monserrate",  # pt_PT Montserrat; Bogotá's hill, Sintra's palace
        "Tunes",  # pt_PT Tunis; an English word
        "Talim",  # pt_PT Tallinn; ta'lim (education) in South Asian names
        # Native names used inside English proper names.
        "Belgique",  # La Libre Belgique
        "Brasil",  # Banco do Brasil
        "Cipro",  # it Cyprus; the antibiotic
        "Deutschland",  # Alternative für Deutschland
        "España",  # Banco de España
        "Finlandia",  # Sibelius, the vodka
        "Germania",  # the Roman province
        "Hongkong",  # The Hongkong and Shanghai Banking Corporation
        "Italia",  # Forza Italia, Fratelli d'Italia, Italia Viva
        "Lisboa",  # Hotel Lisboa, Grand Lisboa (Macau)
        "Luxemburg",  # de Luxembourg; Rosa Luxemburg
        "Maroc",  # Maroc Telecom
        "México",  # Banco de México, Estado de México
        "Österreich",  # the Austrian newspaper
        "Roma",  # the Roma people, AS Roma
        "Rom",  # ROM
        "Singapura",  # Majulah Singapura, the cat breed
        "Suisse",  # Credit Suisse
        "Tokio",  # Tokio Marine, Tokio Hotel
        "Algérie",  # Algérie Presse Service
        "Islas Malvinas",  # quoted as the Argentine name
        "Ilhas Malvinas",
        "Filipinas",  # plural of Filipina
        # Accepted English spellings, not residue.
        "Aktau",
        "Aktobe",
        "Brunei Darussalam",  # official English name
        "Cabo Verde",  # official English name since 2013
        "Calcutta",
        "Dacca",
        "Ekaterinburg",
        "Katmandu",
        "Kiev",  # chicken Kiev; Kyiv is the news spelling
        "Kyzylorda",
        "Laâyoune",  # English writes Laayoune as often as El Aaiun
        "Macau",
        "Qostanay",
        "Rangoon",
        "Surinam",  # older English spelling of Suriname
        "Tiflis",  # historic English name of Tbilisi
        "Erevan",  # English transliteration of Yerevan
        "Ulan Bator",
        "Chatnam",  # a CLDR pt typo for Chatham, no real spelling
        # Ambiguous between a country and a city or between places.
        "Georgia",
        "Jordan",
        "Guinea",
        "Niger",
        "Mali",
        "Panama",
        "Mexico",
        "Lima",
        "Victoria",
        "Córdoba",
        "Valencia",
        "Mérida",
        "León",
        "Macquarie",
        "Lord Howe",
        # English town names that are also common words.
        "Nice",
        "Tours",
        "Reading",
        "Bath",
        "Mobile",
        "Split",
        "Sale",
        "Male",
        "Dover",
        "Man",
        "Sevilla",  # Sevilla FC
        "Peking",  # Peking University, Peking duck
    }
)


_STOP_FOLDED = frozenset(word.casefold() for word in STOPLIST)


@dataclass(frozen=True)
class Candidate:
    variant: str
    english: str
    language: str
    source: str


class _Zone(datetime.tzinfo):
    """A tzinfo that only carries the zone's name, which is all Babel reads
    for exemplar cities; no tz database is needed."""

    def __init__(self, key: str) -> None:
        self.key = key

    def utcoffset(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(0)

    def dst(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(0)

    def tzname(self, dt: datetime.datetime | None) -> str:
        return self.key


def _legacy_ids() -> dict[str, list[str]]:
    """Canonical zone -> legacy ids. Babel keys some locales' city names by
    the legacy id (Europe/Kiev, Asia/Calcutta) while its zone list has the
    new one, so ``get_timezone_location`` falls back to the id's spelling."""
    legacy: dict[str, list[str]] = defaultdict(list)
    for old, new in sorted(get_global("zone_aliases").items()):
        legacy[new].append(old)
    return legacy


def exemplar_city(zone: str, locale: Locale, legacy: dict[str, list[str]]) -> str:
    if zone not in locale.time_zones:
        for old in legacy.get(zone, ()):
            city = locale.time_zones.get(old, {}).get("city")
            if city:
                return city
    return get_timezone_location(_Zone(zone), locale=locale, return_city=True)


def english_territory(code: str, name: str) -> str:
    return ENGLISH_OVERRIDES.get(code, name.replace(" & ", " and "))


def collect() -> tuple[list[Candidate], set[str]]:
    """All candidates and every English name the tables know."""
    if babel is None:
        raise RuntimeError("tools/build_exonyms.py needs Babel: pip install babel")
    en = Locale("en")
    candidates: list[Candidate] = []
    english_names: set[str] = set()
    codes = sorted(
        c for c in en.territories if len(c) == 2 and c.isalpha() and c not in NON_COUNTRY_CODES
    )
    zones = sorted(z for z in get_global("zone_territories") if z != "Etc/Unknown")
    legacy = _legacy_ids()
    english_cities = {z: exemplar_city(z, en, legacy) for z in zones}
    english_names.update(english_territory(c, en.territories[c]) for c in codes)
    english_names.update(english_cities.values())
    for language, locales in LANGUAGES.items():
        for name in locales:
            locale = Locale.parse(name)
            for code in codes:
                variant = locale.territories.get(code)
                if variant:
                    english = english_territory(code, en.territories[code])
                    candidates.append(Candidate(variant, english, language, "country"))
            for zone in zones:
                variant = exemplar_city(zone, locale, legacy)
                candidates.append(Candidate(variant, english_cities[zone], language, "tz-city"))
    for language, variant, english in SUPPLEMENT:
        candidates.append(Candidate(variant, english, language, "supplement"))
        english_names.add(english)
    return candidates, english_names


def fold(text: str) -> str:
    """Letters and digits only, without accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


def first_filter(candidate: Candidate, folded_english: set[str]) -> str | None:
    """Name of the first per-candidate filter that drops it, or None.

    ``folded_english`` holds every English name of the tables, case-folded."""
    variant, english = candidate.variant, candidate.english
    from_cldr = candidate.source != "supplement"
    if variant == english:
        return "same"
    if any(ch in english for ch in "/,([&") or " - " in english or " SAR " in english:
        return "english"
    if english in BAD_ENGLISH:
        return "english"
    if any(ch in variant for ch in "()[],/;\xad") or any(ch.isdigit() for ch in variant):
        return "chars"
    if len(variant) < 4:
        return "short"
    if from_cldr and fold(variant) == fold(english) and variant not in ACCENT_RESIDUES:
        return "spelling"
    if from_cldr and variant.startswith(SAINT_PREFIXES):
        return "saint"
    if variant.casefold() in folded_english:
        return "collision"
    if variant.casefold() in _STOP_FOLDED:
        return "stoplist"
    return None


FILTERS = ("same", "english", "chars", "short", "spelling", "saint", "collision")
FILTERS += ("stoplist", "ambiguous")


@dataclass
class Result:
    table: dict[str, str]
    kept: list[Candidate]
    dropped: Counter[str]


def select() -> Result:
    candidates, english_names = collect()
    folded_english = {name.casefold() for name in english_names}
    dropped: Counter[str] = Counter()
    survivors: list[Candidate] = []
    for candidate in candidates:
        reason = first_filter(candidate, folded_english)
        if reason:
            dropped[reason] += 1
        else:
            survivors.append(candidate)
    targets: dict[str, set[str]] = defaultdict(set)
    for candidate in survivors:
        targets[candidate.variant.casefold()].add(candidate.english)
    kept = [c for c in survivors if len(targets[c.variant.casefold()]) == 1]
    dropped["ambiguous"] = len(survivors) - len(kept)
    kept = list(dict.fromkeys(kept))  # pt and pt_PT often agree
    table = {c.variant: c.english for c in kept}
    return Result(table, kept, dropped)


def header() -> list[str]:
    return [
        "# Exonyms left untranslated in English text -> English name (glossary table).",
        f"# Generated by tools/build_exonyms.py from CLDR {get_cldr_version()} via Babel"
        f" {babel.__version__}.",
        "# Do not edit by hand: change the script and regenerate with",
        "#   .venv/bin/python tools/build_exonyms.py",
        "# Format: variant<TAB>English name, sorted by variant.",
    ]


def render(table: dict[str, str]) -> str:
    lines = header()
    for variant in sorted(table, key=lambda v: (v.casefold(), v)):
        lines.append(f"{variant}\t{table[variant]}")
    return "\n".join(lines) + "\n"


def build() -> str:
    """The table's full text."""
    return render(select().table)


def summary(result: Result) -> str:
    counts: Counter[tuple[str, str]] = Counter((c.language, c.source) for c in result.kept)
    out = [f"{len(result.table)} entries (from {len(result.kept)} kept candidates)"]
    out.append("kept candidates per language and source:")
    out.append("  lang  total" + "".join(f"{source:>12s}" for source in SOURCES))
    for language in [*LANGUAGES, "all"]:
        if language == "all":
            row = [sum(counts[lang, source] for lang in LANGUAGES) for source in SOURCES]
        else:
            row = [counts[language, source] for source in SOURCES]
        out.append(f"  {language:4s} {sum(row):6d}" + "".join(f"{n:12d}" for n in row))
    out.append("dropped per filter:")
    out.extend(f"  {name:10s} {result.dropped[name]:5d}" for name in FILTERS)
    return "\n".join(out)


def check_words(result: Result, path: Path) -> list[str]:
    """Kept variants that are words of a word list (for reviewing the STOPLIST)."""
    words = {w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines()}
    return sorted(v for v in result.table if v.casefold() in words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check-words", type=Path, help="list kept variants that are words in this file"
    )
    args = parser.parse_args(argv)
    result = select()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(render(result.table), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    print(summary(result))
    if args.check_words:
        hits = check_words(result, args.check_words)
        print(f"kept variants found in {args.check_words}: {', '.join(hits) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
