"""/me/account/…: the account page, two-factor sign-in and personal data (mounted in tidings.urls)."""

from django.urls import path

from tidings.accounts import account_views, data_views, two_factor_views

app_name = "account"
urlpatterns = [
    path("", account_views.account, name="overview"),
    path("email/", account_views.change_email, name="change_email"),
    path("password/", account_views.change_password, name="change_password"),
    path("sessions/<int:session_id>/revoke/", account_views.revoke_session, name="revoke_session"),
    path("sessions/others/revoke/", account_views.sign_out_others, name="sign_out_others"),
    path("two-factor/", two_factor_views.two_factor_page, name="two_factor"),
    path("two-factor/start/", two_factor_views.start, name="two_factor_start"),
    path("two-factor/confirm/", two_factor_views.confirm, name="two_factor_confirm"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery"),
    path("two-factor/disable/", two_factor_views.disable, name="two_factor_disable"),
    path("data/", data_views.personal_data, name="data"),
    path("data/export.json", data_views.export, name="data_export"),
    path("data/delete/", data_views.delete, name="data_delete"),
]
