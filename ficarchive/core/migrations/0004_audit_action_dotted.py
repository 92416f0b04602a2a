"""Audit actions are named ``area.verb`` (``user.suspend``, as ``tag.synonym`` and
``pseud.claim`` were): the rows written with the older ``area_verb`` names are renamed, so
old and new rows filter alike (``action__startswith="user."``). Reversible."""

from django.db import migrations

# Frozen here (a migration does not import live code): old name -> new name.
RENAMES = {
    "address_ban": "address.ban",
    "address_unban": "address.unban",
    "admin_post_comment_hide": "admin_post.comment_hide",
    "admin_post_comment_show": "admin_post.comment_show",
    "admin_post_save": "admin_post.save",
    "banner_set": "banner.set",
    "collection_create": "collection.create",
    "collection_reveal": "collection.reveal",
    "invitations_create": "invitation.create",
    "report_assign": "report.assign",
    "report_status": "report.status",
    "signup_mode": "site.signup_mode",
    "site_page_save": "site_page.save",
    "site_settings": "site.settings",
    "thread_flag": "comment.thread_flag",
    "two_factor_enable": "two_factor.enable",
    "user_ban": "user.ban",
    "user_delete": "user.delete",
    "user_note": "user.note",
    "user_rename": "user.rename",
    "user_suspend": "user.suspend",
    "user_unban": "user.unban",
    "user_unsuspend": "user.unsuspend",
    "user_warn": "user.warn",
    "user_works_hide": "user.works_hide",
    "user_works_unhide": "user.works_unhide",
    "users_purge_unconfirmed": "user.purge_unconfirmed",
    "work_admin_edit": "work.admin_edit",
    "work_delete": "work.delete",
    "work_hide": "work.hide",
    "work_orphan": "work.orphan",
    "work_unhide": "work.unhide",
}


def _rename(apps, mapping):
    AuditLog = apps.get_model("core", "AuditLog")
    for old, new in mapping.items():
        AuditLog.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAMES)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_job")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
