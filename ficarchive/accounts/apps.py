from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ficarchive.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .models import User
        from .tokens import tokens_revoke_on_password_change

        # Every door that sets a password (the password change and reset pages, the
        # admin's change-password form, `manage.py changepassword`, scripts) saves the
        # user with the new one; Django has no password-changed signal, so this is the one
        # place all of them pass. Other sessions end by themselves: Django checks each
        # session's password hash (get_session_auth_hash) on every request.
        post_save.connect(
            tokens_revoke_on_password_change,
            sender=User,
            dispatch_uid="accounts.tokens_revoke_on_password_change",
        )
