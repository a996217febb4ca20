"""Settings of the web front end, built once by `archsearch serve` (or a test) and passed in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebConfig:
    tls: bool = False
    trusted_proxy: str | None = None  # address whose `user_header` names the signed-in user
    user_header: str | None = None
    idle_seconds: int = 15 * 60
    absolute_seconds: int = 8 * 3600
    page_size: int = 10
    max_upload_bytes: int = 64 * 2**20  # an export bundle sent to export-verify
    max_form_bytes: int = 256 * 1024  # a pasted draft
    max_params: int = 100
    max_query_chars: int = 2000
