"""What the markings of a cable mean: levels, handling words, paragraph markings, E.O. reasons.

One page of ours that the cable pages link into by anchor: each classification by its slug
(``#secret-noforn``, the same slug as its browse page), ``#handling`` (and ``#handling-nodis``…),
``#markings``, ``#eo-reasons`` (and ``#reason-a`` … ``#reason-h``). The text is written here as
data so that every anchor is generated the same way, and each level carries the archive's own
count, linked to its browse page. A classification the archive holds and this page does not
explain still gets its anchor and count, under "Other markings".
"""

from __future__ import annotations

from dataclasses import dataclass

from ...search.filters import filter_named
from ...store import browse as store
from .. import links
from ..pagecache import cached_page
from ..pages.home import AboutClassificationPage
from ..twins import respond


@dataclass(frozen=True)
class Level:
    classification: str
    name: str
    meaning: str

    @property
    def slug(self) -> str:
        return links.slug(self.classification)


LEVELS = (
    Level("UNCLASSIFIED", "Unclassified",
          "Not classified: disclosure was not judged to harm national security. Such a cable was "
          "still internal correspondence, not meant for publication, and may carry handling words "
          "that limit who reads it."),
    Level("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "Unclassified, for official use only",
          "Unclassified but not for public release. In the cables' own text these usually read "
          "UNCLAS … SENSITIVE, or Sensitive But Unclassified (SBU): personal details, law "
          "enforcement matters, negotiating positions, internal deliberations. The archive's "
          "metadata writes the level as UNCLASSIFIED//FOR OFFICIAL USE ONLY."),
    Level("CONFIDENTIAL", "Confidential",
          "The lowest classified level. Under Executive Order 12958 it applies to information whose "
          "unauthorized disclosure could reasonably be expected to cause damage to national "
          "security. The reasons are given on the Classified By line (see below)."),
    Level("CONFIDENTIAL//NOFORN", "Confidential, not releasable to foreign nationals",
          "Confidential, and also NOFORN: not to be shared with any foreign government, "
          "international organization or person who is not a US citizen, even an ally."),
    Level("SECRET", "Secret",
          "Information whose unauthorized disclosure could reasonably be expected to cause serious "
          "damage to national security. None of the cables in the collection is marked TOP SECRET "
          "(exceptionally grave damage): such traffic did not go out on the distribution these "
          "cables came from."),
    Level("SECRET//NOFORN", "Secret, not releasable to foreign nationals",
          "Secret, and NOFORN: the most restricted combination in the collection. It often marks "
          "candid assessments of foreign officials, sources who could be endangered, or intelligence "
          "that the US would not share even with close allies."),
)
KNOWN = {level.classification for level in LEVELS}


@dataclass(frozen=True)
class Term:
    word: str
    expansion: str
    meaning: str

    @property
    def slug(self) -> str:
        return links.slug(self.word)


HANDLING = (
    Term("SIPDIS", "SIPRNet distribution",
         "Put the cable into the State Department's database shared over SIPRNet, the US "
         "government's classified network, where other agencies could read it. Almost every cable "
         "of the collection carries it: this distribution is how the collection was obtained."),
    Term("NOFORN", "Not releasable to foreign nationals",
         "No foreign government, international organization or non-US citizen may see the cable. "
         "It is written with the level: CONFIDENTIAL//NOFORN, SECRET//NOFORN."),
    Term("NODIS", "No distribution",
         "No distribution beyond the named addressees without the approval of the State "
         "Department's Executive Secretariat: the most restrictive caption, for the most "
         "sensitive exchanges. Rare in this collection."),
    Term("EXDIS", "Exclusive distribution",
         "Distribution limited to the officers with an essential need to know, on sensitive "
         "subjects."),
    Term("LIMDIS", "Limited distribution",
         "Distribution within the receiving offices limited to those whose work requires it."),
    Term("STADIS", "State distribution only",
         "Not to be distributed outside the Department of State."),
    Term("SENSITIVE", "Sensitive but unclassified",
         "Written after UNCLAS (UNCLAS SENSITIVE): the cable is unclassified but not for the "
         "public. The archive lists such cables as UNCLASSIFIED//FOR OFFICIAL USE ONLY."),
    Term("SBU", "Sensitive But Unclassified",
         "The same restriction as SENSITIVE, often on a single paragraph: (SBU)."),
    Term("ORCON", "Originator controlled",
         "Any further dissemination needs the approval of whoever produced the information; "
         "mostly used for intelligence."),
    Term("REL", "Releasable to",
         "The opposite of NOFORN for the countries or organizations named: S/REL NATO may be shared "
         "with NATO allies."),
    Term("PROPIN", "Proprietary information",
         "The cable holds a company's proprietary data, to be protected as such."),
)


@dataclass(frozen=True)
class Marking:
    marking: str
    meaning: str
    search: str


MARKINGS = (
    Marking("(U)", "Unclassified", "U"),
    Marking("(SBU)", "Sensitive but unclassified", "SBU"),
    Marking("(U//FOUO)", "Unclassified, for official use only", "U//FOUO"),
    Marking("(C)", "Confidential", "C"),
    Marking("(C/NF)", "Confidential, not releasable to foreign nationals (also written C//NF)", "C/NF"),
    Marking("(S)", "Secret", "S"),
    Marking("(S/NF)", "Secret, not releasable to foreign nationals (also written S//NF)", "S/NF"),
    Marking("(S/REL NATO)", "Secret, releasable to NATO allies; other REL markings name other "
            "countries", "S/REL NATO"),
)


@dataclass(frozen=True)
class Reason:
    letter: str
    text: str

    @property
    def anchor(self) -> str:
        return f"reason-{self.letter}"


REASONS = (
    Reason("a", "military plans, weapons systems, or operations"),
    Reason("b", "foreign government information"),
    Reason("c", "intelligence activities (including special activities), intelligence sources or "
                "methods, or cryptology"),
    Reason("d", "foreign relations or foreign activities of the United States, including "
                "confidential sources"),
    Reason("e", "scientific, technological, or economic matters relating to the national security"),
    Reason("f", "United States Government programs for safeguarding nuclear materials or facilities"),
    Reason("g", "vulnerabilities or capabilities of systems, installations, infrastructures, "
                "projects, plans, or protection services relating to the national security"),
    Reason("h", "weapons of mass destruction"),
)


@cached_page(discussion=False, params=())
def classification(request):
    counts = {g.value: g.n for g in store.classification_counts()}
    levels = [{"level": level, "n": counts.get(level.classification, 0),
               "url": links.classification_path(level.classification),
               "search": links.search_path(_level_query(level.classification))}
              for level in LEVELS]
    others = [{"label": value or "unknown", "slug": links.slug(value or ""), "n": n,
               "url": links.classification_path(value or "")}
              for value, n in counts.items() if value not in KNOWN]
    return respond(request, "web/about/classification.html", AboutClassificationPage(
        levels=levels, others=others, total=sum(counts.values()),
        handling=HANDLING,
        markings=[{"m": m, "search": links.search_path(f"marking:{_quoted(m.search)}")} for m in MARKINGS],
        reasons=REASONS,
    ))


def _level_query(classification: str) -> str:
    """The search for exactly this level (``classification:secret`` alone also finds SECRET//NOFORN)."""
    return filter_named("classification").written(classification) or ""


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value
