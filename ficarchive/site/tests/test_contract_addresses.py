"""CONTRACT.md's web addresses checked as a reader's tool would: tag names escaped as AO3
does (`/` → `*s*`, `&` → `*a*`, `.` → `*d*`, `?` → `*q*`, `#` → `*h*`, then
percent-encoded) for every one of those characters and for non-Latin scripts, on
`/tags/NAME/works` and `/tags/NAME/feed.atom`; and the Atom feeds (`/opds`, a tag's feed)
carrying what RFC 4287 requires of every feed and entry."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from lxml import etree

from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time, as RFC 4287 section 3.3 asks of every date.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

NAMES = [
    "Kirk/Spock",
    "Tom & Jerry",
    "Mr. Smith",
    "Why?",
    "C# Coding",
    "Dots.And/Slash&Amp?#",
    "東方Project",
    "هاري بوتر",
    "Гарри Поттер",
]


def ao3_address(name: str) -> str:
    """The escaping CONTRACT.md spells out, written here independently of the code."""
    for char, code in (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        name = name.replace(char, code)
    return quote(name, safe="*")


@pytest.fixture
def tagged(author):
    """A posted work carrying every awkward name as an additional tag."""
    return make_work(author, title="Escapes", freeforms=NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_tag_addresses_escape_as_ao3(client, tagged, name):
    """The work page links the tag at the AO3 address, and that address (and its feed)
    answers with the work."""
    address = f"/tags/{ao3_address(name)}/works"
    assert f'href="{address}"' in client.get(f"/works/{tagged.pk}").content.decode()
    page = client.get(address)
    assert page.status_code == 200 and "Escapes" in page.content.decode()
    feed = client.get(f"/tags/{ao3_address(name)}/feed.atom")
    assert feed.status_code == 200 and b"Escapes" in feed.content


def atom_problems(body: bytes, *, opds: bool = False) -> list[str]:
    """What RFC 4287 requires and the body lacks: one id, title and updated (RFC 3339) in
    the feed and in each entry, an author for each entry (its own or the feed's), content
    or an alternate link; for OPDS 1.2 (section 5), each entry links either a catalog feed
    or an acquisition with its media type."""
    root = etree.fromstring(body)
    problems = [] if root.tag == ATOM + "feed" else ["not an Atom feed"]

    def required(element, where: str) -> None:
        for name in ("id", "title", "updated"):
            found = element.findall(ATOM + name)
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} <{name}>")
            elif name == "updated" and not RFC3339.match(found[0].text or ""):
                problems.append(f"{where}: updated {found[0].text!r}")

    required(root, "feed")
    for i, entry in enumerate(root.findall(ATOM + "entry")):
        required(entry, f"entry {i}")
        if not (root.findall(ATOM + "author") or entry.findall(ATOM + "author")):
            problems.append(f"entry {i}: no author")
        links = entry.findall(ATOM + "link")
        if entry.find(ATOM + "content") is None and not any(
            link.get("rel") in (None, "alternate") for link in links
        ):
            problems.append(f"entry {i}: neither content nor an alternate link")
        if opds:
            catalog = [lnk for lnk in links if "profile=opds-catalog" in (lnk.get("type") or "")]
            acquire = [
                lnk
                for lnk in links
                if (lnk.get("rel") or "").startswith("http://opds-spec.org/acquisition")
            ]
            if not catalog and not acquire:
                problems.append(f"entry {i}: neither a catalog nor an acquisition link")
            if any(not lnk.get("type") for lnk in acquire):
                problems.append(f"entry {i}: an acquisition link without a type")
    return problems


@pytest.mark.parametrize(
    "address", ["/opds", "/opds/new", "/opds/fandoms", "/opds/tags", "/opds/search?q=Escapes"]
)
def test_opds_feeds_are_atom_and_opds(client, author, tagged, address):
    """Every OPDS feed a reader's app walks is well-formed Atom with OPDS links."""
    make_work(author, title="Adult", rating=Rating.EXPLICIT)
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "profile=opds-catalog" in response["Content-Type"]
    assert atom_problems(response.content, opds=True) == []


def test_tag_feed_is_atom(client, tagged):
    """`/tags/NAME/feed.atom` is well-formed Atom with an entry for the work."""
    response = client.get(f"/tags/{ao3_address('Tom & Jerry')}/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_problems(response.content) == []
    assert len(etree.fromstring(response.content).findall(ATOM + "entry")) == 1


# Every API operation CONTRACT.md names, as (path under /api/v1 with {} for an id, method).
CONTRACT_OPERATIONS = [
    ("/works", "post"),
    ("/works/{}", "patch"),
    ("/subscriptions", "post"),
    ("/subscriptions", "get"),
    ("/subscriptions/{}", "delete"),
    ("/works/{}/later", "put"),
    ("/works/{}/later", "delete"),
    ("/me/later", "get"),
    ("/me/history", "get"),
    ("/me/blocks", "post"),
    ("/me/blocks", "get"),
    ("/me/blocks/{}", "delete"),
    ("/me/mutes", "post"),
    ("/me/mutes", "get"),
    ("/me/mutes/{}", "delete"),
]


def test_openapi_is_valid_and_describes_every_contract_operation(client):
    """`/api/v1/openapi.json` validates against the OpenAPI 3.1 schema (the copy
    schemathesis ships) and describes each operation CONTRACT.md names, with the keys the
    contract gives: `collections`, `gift_to`, `series` on posting a work."""
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert [str(e) for e in OPENAPI_31_VALIDATOR.iter_errors(doc)] == []
    described = {
        (re.sub(r"\{[^}]+\}", "{}", path), method)
        for path, item in doc["paths"].items()
        for method in item
    }
    assert [op for op in CONTRACT_OPERATIONS if op not in described] == []
    body = doc["paths"]["/works"]["post"]["requestBody"]["content"]["application/json"]
    schema = body["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert {"collections", "gift_to", "series"} <= set(schema["properties"])
