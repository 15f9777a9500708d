from django.contrib.auth import views as auth_views
from django.urls import path

from tidings.accounts import token_views, views
from tidings.accounts.password_reset import ResetConfirmView, ThrottledPasswordResetView

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.signin_code, name="signin_code"),
    path("signout/", views.signout, name="signout"),
    path("password-reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("password-reset/<uidb64>/<token>/", ResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("settings/", token_views.account_settings, name="settings"),
    path("settings/tokens/", token_views.create_token, name="create_token"),
    path("settings/tokens/<int:token_id>/revoke/", token_views.revoke, name="revoke_token"),
]
