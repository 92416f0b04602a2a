"""Imported authors for tests, made the way the eFiction and file importers make them."""

from __future__ import annotations

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.services import pseud_unclaimed
from ficarchive.transfer.importers.base import ParsedChapter, ParsedWork
from ficarchive.transfer.services_import import importer_account, work_import
from ficarchive.works.models import Work


def imported_author(
    name: str, email: str, titles: tuple[str, ...] = ("Old Story",)
) -> tuple[Pseud, list[Work]]:
    """An unclaimed pseud with claim_email, credited with one imported work per title."""
    pseud = pseud_unclaimed(name=name, email=email)
    works = []
    for title in titles:
        parsed = ParsedWork(
            title=title,
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Sherlock Holmes - Arthur Conan Doyle"],
            chapters=[ParsedChapter(body_html=f"<p>The text of {title}.</p>")],
        )
        result = work_import(
            actor=importer_account(),
            parsed=parsed,
            source_hash=f"test:{name}:{title}",
            credit_pseuds=[pseud],
        )
        works.append(result.work)
    pseud.refresh_from_db()
    return pseud, works
