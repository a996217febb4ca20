"""Administration pages, for users whose registry entry has `admin` set (accounts.py): users
(add, clearance, compartments, disable, password reset, web administrator), index status, audit
records with filters, audit verification."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, g, redirect, render_template, request, url_for

from archsearch.trust import accounts
from archsearch import api
from archsearch.errors import UsageError
from archsearch.levels import Level
from archsearch.web.auth import context

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_SHOWN = 200


@blueprint.before_request
def only_administrators():
    settings, _config = context()
    if getattr(g, "user", None):
        accounts.require_web_admin(settings, g.user)


@blueprint.get("/")
def users():
    settings, _config = context()
    listed = []
    for user in api.list_users(settings):
        account = accounts.get_account(settings, user.name)
        listed.append((user.to_json(), account))
    return render_template("admin_users.html", users=listed, levels=list(Level), one_time=None, banner=None)


@blueprint.post("/users")
def user_save():
    settings, _config = context()
    name = request.form.get("name", "").strip()
    compartments = [c for c in request.form.get("compartments", "").replace(";", ",").split(",") if c.strip()]
    api.add_user(settings, name, request.form.get("clearance", "none"), compartments)
    return redirect(url_for("admin.users"), 303)


@blueprint.post("/users/<name>/<action>")
def user_action(name, action):
    settings, _config = context()
    by = f"web:{g.user}"
    if action == "disable":
        accounts.set_disabled(settings, name, True, by=by, client=g.client)
    elif action == "enable":
        accounts.set_disabled(settings, name, False, by=by, client=g.client)
    elif action == "admin":
        accounts.set_admin(settings, name, True, by=by, client=g.client)
    elif action == "unadmin":
        if name == g.user:
            raise UsageError("không thể tự bỏ quyền quản trị / you cannot remove your own administration right")
        accounts.set_admin(settings, name, False, by=by, client=g.client)
    elif action == "reset":
        one_time = accounts.set_password(settings, name, by=by, client=g.client)
        listed = [(u.to_json(), accounts.get_account(settings, u.name)) for u in api.list_users(settings)]
        return render_template("admin_users.html", users=listed, levels=list(Level), one_time=(name, one_time),
                               banner=None)
    else:
        raise UsageError(f"unknown action {action!r}")
    return redirect(url_for("admin.users"), 303)


@blueprint.get("/status")
def status():
    settings, _config = context()
    return render_template("admin_status.html", report=api.status(settings), banner=None)


@blueprint.get("/audit")
def audit():
    settings, _config = context()
    user = request.args.get("user", "").strip()[:64] or None
    command = request.args.get("command", "").strip()[:64] or None
    since_text = request.args.get("since", "").strip()[:10]
    since = None
    if since_text:
        try:
            since = dt.datetime.fromisoformat(since_text).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            raise UsageError(f"since {since_text!r} is not a date: use YYYY-MM-DD")
    records = [r for r in api.audit_records(settings, user=user, since=since)
               if not command or r.get("command") == command]
    return render_template("admin_audit.html", records=records[-AUDIT_SHOWN:][::-1], total=len(records),
                           user=user or "", command=command or "", since=since_text, verified=None, banner=None)


@blueprint.get("/audit/verify")
def audit_verify():
    settings, _config = context()
    checked, broken = api.audit_verify(settings)
    return render_template("admin_audit.html", records=[], total=0, user="", command="", since="",
                           verified={"checked": checked, "broken": broken}, banner=None)
