"""Names shared by the app and the server's access log."""

USER_ENVIRON = "archsearch.user"  # the signed-in user, set by the app, logged by the access log
