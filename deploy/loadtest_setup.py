#!/usr/bin/env python3
"""Accounts and works for a load test (deploy/loadtest.sh, deploy/scaleout.sh loadtest):
writers loaduser0, loaduser4, ... (every fourth of USERS) with the password in PW_FILE,
and 60 works by loadauthor. Run with the archive's environment; idempotent.

    python deploy/loadtest_setup.py USERS PW_FILE"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


def main() -> None:
    import django

    django.setup()
    from ficarchive.accounts.models import User
    from ficarchive.accounts.services import user_create
    from ficarchive.tags.vocabulary import Rating
    from ficarchive.testing import make_work

    users = int(sys.argv[1])
    with open(sys.argv[2]) as handle:
        password = handle.read().strip()
    # Writer accounts through the service `ficarchive user create --password-stdin` calls,
    # in one process rather than one per account.
    for n in range(0, users, 4):
        if not User.objects.filter(username=f"loaduser{n}").exists():
            user_create(username=f"loaduser{n}", email=f"l{n}@example.org", password=password,
                        check_password=False, allow_reserved=True)
    author = User.objects.filter(username="loadauthor").first() or user_create(
        username="loadauthor", password=password, check_password=False
    )
    ratings = [Rating.GENERAL, Rating.TEEN, Rating.MATURE]
    para = "The fog lay thick upon the moor and Holmes took his tea by the fire. " * 30
    for i in range(60 - author.pseuds.first().creatorships.count()):
        make_work(author, title=f"Load work {i}", chapters=[para] * (1 + i % 3), rating=ratings[i % 3])


if __name__ == "__main__":
    main()
