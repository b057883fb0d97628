"""The ``aliases`` defect: one group or organisation under several names because outlets were stitched."""

from __future__ import annotations

from pathlib import Path

from newsroundup.annotate.aliases import AliasEntry, load_alias_file
from newsroundup.audit import audit, check_audit
from newsroundup.audit.aliases import name_uses
from newsroundup.model import Article, Audit

AFP = (
    "Islamic State fighters withdrew from the town of Hit on Monday after a week of air strikes. "
    "Iraqi commanders said the road to Ramadi was open again."
)
REUTERS = (
    "Daesh has lost about a quarter of the land it held in Iraq, a coalition spokesman said on Tuesday. "
    "The spokesman gave no figures for Syria."
)
BOTH = (
    "Daesh, as the Islamic State group is known in the region, still holds Mosul. "
    "Its fighters blew up a bridge over the Tigris on Wednesday."
)


def _audited(text: str, sources: list[Article], **kwargs: object) -> Audit:
    result = audit(Article("stitched", text), sources, **kwargs)  # type: ignore[arg-type]
    check_audit(result, sources)
    return result


def _aliases(result: Audit) -> list[tuple[int, str]]:
    return [(n, d.detail) for n, s in enumerate(result.sentences) for d in s.defects if d.kind == "aliases"]


def test_a_group_named_as_each_stitched_outlet_names_it_is_flagged_with_its_source() -> None:
    sources = [Article("afp", AFP, outlet="AFP"), Article("reuters", REUTERS, outlet="Reuters")]
    text = (
        "Islamic State fighters withdrew from the town of Hit on Monday after a week of air strikes. "
        "Daesh has lost about a quarter of the land it held in Iraq, a coalition spokesman said on Tuesday."
    )
    result = _audited(text, sources)
    found = _aliases(result)
    assert len(found) == 1 and found[0][0] == 1
    assert "'Daesh' here, 'Islamic State' in sentence 1" in found[0][1] and "group" in found[0][1]
    (defect,) = [d for d in result.sentences[1].defects if d.kind == "aliases"]
    assert [e.article for e in defect.evidence] == ["reuters"]
    assert result.summary["defects"]["aliases"] == 1


def test_a_source_that_uses_both_names_or_a_declared_short_form_is_no_defect() -> None:
    sources = [Article("afp", AFP, outlet="AFP"), Article("wire", BOTH, outlet="Wire")]
    text = (
        "Islamic State fighters withdrew from the town of Hit on Monday after a week of air strikes. "
        "Daesh, as the Islamic State group is known in the region, still holds Mosul."
    )
    assert _aliases(_audited(text, sources)) == []
    declared = (
        "The United Nations (UN) sent food to Hit on Monday. The UN said more would follow. "
        "Officials of the U.N. in Baghdad gave no date."
    )
    assert _aliases(_audited(declared, [Article("afp", AFP)])) == []


def test_a_name_inside_a_longer_name_or_a_line_of_capitals_is_not_a_use() -> None:
    text = "Bank of America and Latin America traders met in London. THIS IS NOT A DRILL, the sign said. The US agreed."
    assert [u.written for u in name_uses(text)] == ["US"]


def test_the_users_alias_file_adds_sets(tmp_path: Path) -> None:
    file = tmp_path / "aliases.toml"
    file.write_text(
        '[[entity]]\nname = "Kestrel Ridge Fire Service"\nkind = "organization"\n'
        'aliases = ["KRFS", "Brannock Fire Brigade"]\n'
    )
    table = load_alias_file(file)
    entry = AliasEntry("Kestrel Ridge Fire Service", "organization", ("KRFS", "Brannock Fire Brigade"))
    assert table.lookup("KRFS") == entry
    one = "Crews of the Kestrel Ridge Fire Service worked through the night to hold the line above Brannock."
    two = "The Brannock Fire Brigade said on Friday that the heath fire was contained."
    three = "KRFS added that evacuated families could return on Saturday morning."
    sources = [Article("courier", one, outlet="Courier"), Article("post", f"{two} {three}", outlet="Post")]
    result = _audited(f"{one} {two} {three}", sources, aliases=table)
    assert [n for n, _ in _aliases(result)] == [1]  # another name; the short form after the full one is style
    assert _aliases(_audited(f"{one} {two} {three}", sources)) == []  # the built-in sets do not know it


def test_places_and_a_short_form_after_the_full_name_are_style_not_defects() -> None:
    text = (
        "The United States sent food to Hit on Monday, and the United Nations sent tents. "
        "U.S. officials said more would follow. The UN gave no date, and the U.N. envoy left."
    )
    sources = [Article("a", "The United States sent food to Hit on Monday, and the United Nations sent tents."),
               Article("b", "U.S. officials said more would follow. The UN gave no date, and the U.N. envoy left.")]
    assert _aliases(_audited(text, sources)) == []
    swapped = "ISIS fighters withdrew from Hit on Monday. ISIL still holds Mosul, the coalition said."
    sources = [Article("a", "ISIS fighters withdrew from Hit on Monday."),
               Article("b", "ISIL still holds Mosul, the coalition said.")]
    assert [n for n, _ in _aliases(_audited(swapped, sources))] == [1]  # two short forms: two outlets' styles
