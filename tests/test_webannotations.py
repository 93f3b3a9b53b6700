"""Each brief's claims and responses as W3C Web Annotations (site_builder/theme/annotations.py).

The example site is built with and without a base URL; every annotation must pass the MUST
assertions of the W3C Web Annotation test suite (`../shared/validators/anno_valid.py`), the
collection and its page theirs, and each quote's position must select, in the article's
reader text, exactly the words the page highlights.
"""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from sitetools import (
    ROOT,
    SEED_SLUG,
    actor,
    brief,
    build,
    claim,
    marks_of,
    read_page,
    response,
    write_site,
)
from tools import shared_validators

from site_builder.source.controls import drop_controls
from site_builder.text.readertext import make_markdown, normalise, project

DOC = f"briefs/{SEED_SLUG}/annotations.jsonld"
BASE_URL = "https://example.org/desk/"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("anno") / "out", cache=False).out


@pytest.fixture(scope="module")
def built_absolute(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("anno-abs") / "out", BASE_URL, cache=False).out


def document(out: Path, rel: str = DOC) -> Json:
    return json.loads((out / rel).read_bytes())


def items(out: Path, rel: str = DOC) -> list[Json]:
    return document(out, rel)["first"]["items"]


def selectors(annotation: Json) -> tuple[Json, Json]:
    quote, element = annotation["target"]["selector"]
    return quote, element


# --- the W3C test suite's MUST assertions --------------------------------------------------------


@pytest.mark.parametrize("variant", ["relative", "absolute"])
def test_every_annotation_passes_the_w3c_must_assertions(variant: str, built: Path,
                                                         built_absolute: Path) -> None:
    validator = shared_validators() / "anno_valid.py"
    out = built if variant == "relative" else built_absolute
    run = subprocess.run([sys.executable, str(validator), str(out)], capture_output=True,
                         text=True, check=False)
    last = run.stdout.strip().splitlines()[-1]
    assert (last, run.returncode) == ("annotations: 15 checked, 0 failing", 0), run.stdout


def test_the_collection_and_its_page_pass_their_must_assertions(built: Path) -> None:
    """The validator unpacks the annotations; the collection and its page have assertions of
    their own in the same suite."""
    suite = shared_validators() / "vendor" / "web-annotation-tests"
    collection = document(built)
    assert must_failures(suite, "collections/collectionMusts.test", collection) == []
    assert must_failures(suite, "collections/pages/pageMusts.test", collection["first"]) == []


def must_failures(suite: Path, test: str, value: Json) -> list[str]:
    """The MUST assertions of `test` (a file of the W3C suite) that `value` fails."""
    jsonschema = pytest.importorskip("jsonschema")
    store = {}
    for path in suite.glob("definitions/*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        store[schema["id"]] = schema
    failed = []
    for name in json.loads((suite / test).read_text(encoding="utf-8"))["assertions"]:
        schema = json.loads((suite / name).read_text(encoding="utf-8"))
        with warnings.catch_warnings():  # RefResolver is deprecated, and what the suite needs
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver(schema.get("id", ""), schema, store=store)
            valid = jsonschema.Draft4Validator(schema, resolver=resolver).is_valid(value)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failed.append(schema.get("errorMessage", name))
    return failed


# --- exact values -------------------------------------------------------------------------------


def test_the_collection_holds_one_page_with_every_claim_then_every_response(built: Path) -> None:
    doc = document(built)
    page = doc.pop("first")
    assert doc == {"@context": CONTEXT, "id": "annotations.jsonld",
                   "type": "AnnotationCollection",
                   "label": "Claims and responses: US warns of 'consequences' if Iran sends "
                            "missiles to Russia",
                   "total": 15, "last": "annotations.jsonld#page-1"}
    assert [page.pop(k) for k in ("@context", "id", "type", "startIndex")] == [
        CONTEXT, "annotations.jsonld#page-1", "AnnotationPage", 0]
    ids = [a["id"] for a in page.pop("items")]
    assert page == {}
    assert ids == [f"annotations.jsonld#{key}" for key in (
        "claim-iran-sent-missiles-to-russia", "claim-ukraine-attacked-with-shahed-drones",
        "claim-north-korean-missile-fragments-in-ukraine",
        *(f"response-{n}" for n in range(1, 13)))]


def test_a_claim_describes_its_quote(built: Path) -> None:
    first = items(built)[0]
    assert first == {
        "@context": CONTEXT,
        "id": "annotations.jsonld#claim-iran-sent-missiles-to-russia",
        "type": "Annotation",
        "motivation": "describing",
        "created": "2024-09-09T00:00:00Z",
        "body": [
            {"type": "TextualBody", "purpose": "describing",
             "value": "Iran has transferred ballistic missiles to Russia for use in its war "
                      "against Ukraine.", "format": "text/plain", "language": "en"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
            {"type": "SpecificResource", "purpose": "identifying",
             "source": "../../actors/us-media/"},
            {"type": "SpecificResource", "purpose": "identifying",
             "source": "../../actors/wall-street-journal/"},
            {"type": "SpecificResource", "purpose": "linking",
             "source": "../../claims/iran-sent-missiles-to-russia/"}],
        "target": {
            "source": f"../../briefs/{SEED_SLUG}/",
            "selector": [
                {"type": "TextQuoteSelector",
                 "exact": "US media outlets reported last week that Washington believed Iran "
                          "had transferred the weapons to Russia for use in Ukraine",
                 "prefix": "cow in its invasion of Ukraine.\n",
                 "suffix": ', citing anonymous sources.\n"We '},
                {"type": "CssSelector", "value": "#article",
                 "refinedBy": {"type": "TextPositionSelector", "start": 416, "end": 538}}]}}


def test_a_response_tags_its_quote_with_the_stance_and_names_who_says_it(built: Path) -> None:
    by_id = {a["id"].partition("#")[2]: a for a in items(built)}
    first, second = by_id["response-1"], by_id["response-2"]
    assert (first["motivation"], first["created"]) == ("tagging", "2024-09-09T00:00:00Z")
    assert first["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "supports"},
        {"type": "SpecificResource", "purpose": "identifying",
         "source": "../../actors/peter-stano/"},
        {"type": "SpecificResource", "purpose": "linking",
         "source": "../../claims/iran-sent-missiles-to-russia/"},
        {"type": "TextualBody", "purpose": "commenting",
         "value": "Calls the allies' information credible but stops short of confirming it: "
                  'the EU is "looking further into it" and speaks of the delivery "if '
                  'confirmed".',
         "format": "text/markdown", "language": "en"}]
    assert selectors(first) == (
        {"type": "TextQuoteSelector",
         "exact": "We are aware of the credible information provided by allies on the "
                  "delivery of Iranian ballistic missiles to Russia",
         "prefix": 'ine, citing anonymous sources.\n"',
         "suffix": '," EU spokesman Peter Stano said'},
        {"type": "CssSelector", "value": "#article",
         "refinedBy": {"type": "TextPositionSelector", "start": 567, "end": 682}})
    assert [b["value"] for b in second["body"] if b["type"] == "TextualBody"] == ["warns"]


def test_with_a_base_url_every_address_is_absolute(built_absolute: Path) -> None:
    doc = document(built_absolute)
    own = f"{BASE_URL}briefs/{SEED_SLUG}/annotations.jsonld"
    assert (doc["id"], doc["first"]["id"], doc["last"]) == (own, own + "#page-1", own + "#page-1")
    first = doc["first"]["items"][0]
    assert first["id"] == own + "#claim-iran-sent-missiles-to-russia"
    assert first["target"]["source"] == f"{BASE_URL}briefs/{SEED_SLUG}/"
    assert [b.get("source") for b in first["body"]][2:] == [
        f"{BASE_URL}actors/us-media/", f"{BASE_URL}actors/wall-street-journal/",
        f"{BASE_URL}claims/iran-sent-missiles-to-russia/"]


def test_without_a_base_url_every_address_reaches_its_file(built: Path) -> None:
    """Relative references, resolved against the document's own place, as JSON-LD does."""
    here = posixpath.dirname(DOC)
    addresses = [a["target"]["source"] for a in items(built)]
    addresses += [b["source"] for a in items(built) for b in a["body"] if "source" in b]
    assert len(addresses) == 46  # 15 targets, 7 bodies of claims, 24 of responses
    for address in addresses:  # folder addresses, as the pages link (`links: folders`)
        path = posixpath.normpath(posixpath.join(here, address))
        path += "/index.html" if address.endswith("/") else ""
        assert (built / path).is_file(), address


# --- positions in the reader text ---------------------------------------------------------------


def test_each_position_selects_its_words_in_the_reader_text(built: Path) -> None:
    """`reader_text[start:end] == exact` for every annotation of the example site, with the
    32 code points around as prefix and suffix; the words are those the page highlights, and
    those the editor quoted."""
    source = (ROOT / "briefs" / f"{SEED_SLUG}.md").read_text(encoding="utf-8")
    text = drop_controls(project(make_markdown().parse(source)).raw)
    page = read_page(built, f"briefs/{SEED_SLUG}/index.html")
    quotes = quoted_words()
    checked = 0
    for annotation in items(built):
        key = annotation["id"].partition("#")[2]
        quote, element = selectors(annotation)
        position = element["refinedBy"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"], key
        assert (quote["prefix"], quote["suffix"]) == (text[start - 32:start], text[end:end + 32])
        marked = "".join(m.text for m in marks_of(page, key))
        assert " ".join(marked.split()) == " ".join(quote["exact"].split()), key
        assert normalise(quote["exact"]) == normalise(quotes[key]), key
        checked += 1
    assert checked == 15


def quoted_words() -> dict[str, str]:
    """Each quote of the example brief as the editor wrote it, by mark id."""
    import yaml

    data = yaml.safe_load((ROOT / "briefs" / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8"))
    found = {f"claim-{c['id']}": c["quote"] for c in data["claims"]}
    found.update((f"response-{n}", r["quote"])
                 for n, r in enumerate(data["responses"], start=1))
    return found


ACTORS = [actor("eu", "European Union", "organization"), actor("iran", "Iran")]


def test_positions_count_code_points_of_the_text_the_page_shows(tmp_path: Path) -> None:
    """Characters outside the Basic Multilingual Plane count one each (not two, as in
    JavaScript's strings); a control character, which no page shows, counts none."""
    article = "Flags 🇪🇺 and \x07bells: the EU says Iran \U0001d400 sent missiles.\n"
    site = write_site(tmp_path / "site", {"b": (article, brief(
        "Missiles", "2024-09-09",
        claims=[claim("c", "eu", "Iran sent missiles.", "Iran 𝐀 sent missiles")]))}, ACTORS)
    out = build(site).out
    quote, element = selectors(items(out, "briefs/b/annotations.jsonld")[0])
    # shown: "Flags 🇪🇺 and bells: the EU says Iran 𝐀 sent missiles."; the flag is two
    # code points, and "Iran" starts at the 33rd.
    assert element["refinedBy"] == {"type": "TextPositionSelector", "start": 32, "end": 52}
    assert quote == {"type": "TextQuoteSelector", "exact": "Iran 𝐀 sent missiles",
                     "prefix": "Flags 🇪🇺 and bells: the EU says ", "suffix": "."}


def test_unquoted_annotations_target_the_page_and_an_empty_brief_has_no_page(
        tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "a": ("Iran sent missiles, the EU says.\n", brief(
            "Missiles", date="2024-09-10",
            claims=[claim("c", "eu", "Iran sent missiles.")],
            responses=[response("c", "iran", "denies", note="Says *nothing* more.")])),
        "b": ("Nothing to annotate here.\n", brief("Quiet", date="2024-09-11")),
    }, ACTORS)
    out = build(site, ok=False).out
    claim_note, denial = items(out, "briefs/a/annotations.jsonld")
    assert (claim_note["target"], denial["target"]) == ("../../briefs/a/",) * 2
    assert denial["created"] == "2024-09-10T00:00:00Z"
    assert denial["body"][-1] == {"type": "TextualBody", "purpose": "commenting",
                                  "value": "Says *nothing* more.", "format": "text/markdown",
                                  "language": "en"}
    empty = document(out, "briefs/b/annotations.jsonld")
    assert (empty["total"], "first" in empty, "last" in empty) == (0, False, False)


# --- the brief page links them; builds are the same; hosts leave them out -----------------------


def test_the_brief_page_links_its_annotations(built: Path) -> None:
    page = read_page(built, f"briefs/{SEED_SLUG}/index.html")
    alternate = page.find("link", rel="alternate", type="application/ld+json")
    visible = page.find("a", type="application/ld+json")
    assert alternate is not None and visible is not None
    target = "annotations.jsonld"  # beside the page
    assert (alternate.get("href"), visible.get("href")) == (target, target)
    assert visible.text == "These claims and responses as W3C Web Annotations (JSON-LD)"


def test_two_builds_write_the_same_bytes_and_the_sitemap_lists_no_data(
        built_absolute: Path, tmp_path: Path) -> None:
    again = build(ROOT, tmp_path / "again", BASE_URL, cache=False).out
    written = [DOC, "data/responses.csv", "data/responses.json", "data/claims.csv",
               "data/claims.json"]
    assert [(again / rel).read_bytes() for rel in written] == \
        [(built_absolute / rel).read_bytes() for rel in written]
    sitemap = (built_absolute / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and ".jsonld" not in sitemap and "data/" not in sitemap
