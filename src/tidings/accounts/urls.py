from django.urls import path

from tidings.accounts import token_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signin/", views.signin, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("settings/", token_views.account_settings, name="settings"),
    path("settings/tokens/", token_views.create_token, name="create_token"),
    path("settings/tokens/<int:token_id>/revoke/", token_views.revoke, name="revoke_token"),
]
