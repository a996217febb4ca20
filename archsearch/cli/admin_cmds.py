"""The index owner's commands: status, cache, users and audit."""

from __future__ import annotations

import datetime as dt

import click

from archsearch import api
from archsearch.cli import render
from archsearch.cli.options import ctx_settings, echo, emit_json, json_option
from archsearch.errors import ExitCode


@click.command("status")
@json_option
@click.pass_context
def status_command(ctx, as_json):
    """Documents per level, collection and type, OCR'd pages, sizes and the last run.

    \b
    Example:
      archsearch status --json
    """
    report = api.status(ctx_settings(ctx))
    if as_json:
        emit_json(report)
        return
    for line in render.status_lines(report):
        echo(line)


@click.group("cache")
def cache_group():
    """The extraction cache (text and OCR output by content hash)."""


@cache_group.command("clear")
@json_option
@click.pass_context
def cache_clear(ctx, as_json):
    """Empty the extraction cache (the next run extracts and OCRs again).

    \b
    Example:
      archsearch cache clear
    """
    before = api.cache_clear(ctx_settings(ctx))
    if as_json:
        emit_json(before)
    else:
        click.echo(f"removed {before['entries']} cached extractions ({before['bytes'] / 2**20:.1f} MiB)")


@click.group("users")
def users_group():
    """Manage the users who may search, and their clearance."""


@users_group.command("add")
@click.argument("name")
@click.option("--clearance", required=True, metavar="LEVEL", help="unclassified, confidential (mật), secret (tối mật), top-secret (tuyệt mật) or none.")
@click.option("--compartment", "compartments", multiple=True, metavar="C", help="A compartment the user holds (repeatable).")
@json_option
@click.pass_context
def users_add(ctx, name, clearance, compartments, as_json):
    """Register a user, or change an existing user's clearance.

    \b
    Example:
      archsearch users add hoa --clearance "tối mật" --compartment CNQP-A
    """
    user = api.add_user(ctx_settings(ctx), name, clearance, list(compartments))
    if as_json:
        emit_json(user.to_json())
    else:
        echo(f"user {user.name}: clearance {user.to_json()['clearance']}, compartments {'; '.join(sorted(user.compartments)) or '-'}")


@users_group.command("list")
@json_option
@click.pass_context
def users_list(ctx, as_json):
    """List registered users and their clearance.

    \b
    Example:
      archsearch users list --json
    """
    users = api.list_users(ctx_settings(ctx))
    if as_json:
        emit_json([u.to_json() for u in users])
        return
    for user in users:
        data = user.to_json()
        echo(f"{data['name']:<20} {data['clearance']:<13} {'; '.join(data['compartments'])}")


@users_group.command("passwd")
@click.argument("name")
@click.option("--one-time", is_flag=True, help="Print a one-time password to be changed at the first sign-in.")
@click.pass_context
def users_passwd(ctx, name, one_time):
    """Set a user's web password (asked twice), or print a one-time one. Ends their sessions.

    \b
    Example:
      archsearch users passwd hoa --one-time
    """
    from archsearch.trust import accounts

    password = None if one_time else click.prompt("Mật khẩu mới / new password", hide_input=True,
                                                  confirmation_prompt=True, err=True)
    printed = accounts.set_password(ctx_settings(ctx), name, password)
    if printed:
        click.echo(f"one-time password for {name} (must be changed at the first sign-in): {printed}")
    else:
        click.echo(f"password of {name} set", err=True)


def _set_disabled(ctx, name: str, disabled: bool) -> None:
    from archsearch.trust import accounts

    accounts.set_disabled(ctx_settings(ctx), name, disabled)
    click.echo(f"user {name} {'disabled' if disabled else 'enabled'}", err=True)


@users_group.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx, name):
    """Refuse a user's sign-ins and API tokens; their web sessions end at the next request.

    \b
    Example:
      archsearch users disable hoa
    """
    _set_disabled(ctx, name, True)


@users_group.command("enable")
@click.argument("name")
@click.pass_context
def users_enable(ctx, name):
    """Allow a disabled user to sign in again.

    \b
    Example:
      archsearch users enable hoa
    """
    _set_disabled(ctx, name, False)


@users_group.command("admin")
@click.argument("name")
@click.option("--remove", is_flag=True, help="Take the right away.")
@click.pass_context
def users_admin(ctx, name, remove):
    """Let a user use the web administration pages (users, status, audit), or --remove it.

    \b
    Example:
      archsearch users admin lan
    """
    from archsearch.trust import accounts

    accounts.set_admin(ctx_settings(ctx), name, not remove)
    click.echo(f"user {name}: web administrator {'no' if remove else 'yes'}", err=True)


@users_group.command("token")
@click.argument("name")
@click.option("--revoke", "revoke", metavar="ID", help="Revoke the token with this id instead.")
@click.option("--list", "list_only", is_flag=True, help="List the ids of the user's tokens.")
@click.pass_context
def users_token(ctx, name, revoke, list_only):
    """Issue an API token for NAME (printed once, stored hashed), list or revoke tokens.

    Programs send it as `Authorization: Bearer TOKEN` to the web server's /api/.

    \b
    Example:
      archsearch users token hoa
      archsearch users token hoa --revoke 1a2b3c4d
    """
    from archsearch.trust import accounts

    settings = ctx_settings(ctx)
    if list_only:
        for token in accounts.list_tokens(settings, name):
            click.echo(f"{token['id']}  created {token['created']}")
    elif revoke:
        accounts.revoke_token(settings, name, revoke)
        click.echo(f"token {revoke} of {name} revoked", err=True)
    else:
        token_id, token = accounts.issue_token(settings, name)
        click.echo(f"token {token_id} for {name} (shown once):", err=True)
        click.echo(token)


@click.group("audit")
def audit_group():
    """Read and check the audit trail of searches, shows and exports (index owner only)."""


@audit_group.command("verify")
@json_option
@click.pass_context
def audit_verify(ctx, as_json):
    """Check the hash chain of the audit log; exit 1 and name the line where it breaks.

    \b
    Example:
      archsearch audit verify
    """
    checked, broken = api.audit_verify(ctx_settings(ctx))
    if as_json:
        emit_json({"records": checked, "ok": broken is None,
                    "break": None if broken is None else {"line": broken.line, "reason": broken.reason}})
    elif broken is None:
        click.echo(f"audit log intact: {checked} records")
    else:
        echo(f"audit log BROKEN at line {broken.line}: {broken.reason} ({checked} records verified before it)")
    if broken is not None:
        ctx.exit(ExitCode.FAILURES)


@audit_group.command("show")
@click.option("--user", "user", metavar="NAME", help="Only this archsearch user's records.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="Only records from this date (UTC).")
@json_option
@click.pass_context
def audit_show(ctx, user, since, as_json):
    """List audit records: who read what, when, at what clearance.

    \b
    Example:
      archsearch audit show --user hoa --since 2026-01-01 --json
    """
    since = since.replace(tzinfo=dt.timezone.utc) if since else None
    records = api.audit_records(ctx_settings(ctx), user=user, since=since)
    if as_json:
        emit_json(records)
        return
    for record in records:
        ids = ",".join(record.get("ids") or []) or "-"
        echo(
            f"{record['seq']:>6} {record['time']} {record['os_account']}->{record['user']} "
            f"[{record['clearance']}] {record['command']} {record.get('query', '')!r} ids={ids}"
            + (f" file={record['export_file']} sha256={record['export_sha256']}" if record.get("export_file") else "")
        )



COMMANDS = (status_command, cache_group, users_group, audit_group)
