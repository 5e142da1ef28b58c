"""How the site file meets the command line: its values are the defaults, flags override them."""

from __future__ import annotations

import argparse
from pathlib import Path

from cockpit.config.site import DEFAULT_SITE_PATH, SiteConfig, demo_site, load_site


def resolve_site(requested: Path | None, default: Path = DEFAULT_SITE_PATH) -> SiteConfig:
    """The site to run with: ``requested`` (``--site``), else ``default`` if it exists, else the demo.

    Raises:
        SiteError: the chosen file is missing, unreadable or invalid.
    """
    if requested is not None:
        return load_site(requested)
    if default.exists():
        return load_site(default)
    return demo_site()


def parse_with_site(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse ``argv`` with the site file (``--site``, else the default one) supplying the defaults.

    Raises:
        SiteError: the site file cannot be used.
    """
    site = resolve_site(parser.parse_known_args(argv)[0].site)
    parser.set_defaults(**parser_defaults(site))
    args = parser.parse_args(argv)
    apply_site(args, site)
    return args


def parser_defaults(site: SiteConfig) -> dict[str, object]:
    """Parser defaults from the site for options whose default is not "unset" (the recording ones).

    The demo defaults leave the recorder's own defaults alone.
    """
    if site.path is None:
        return {}
    return {
        "record": site.recording_dir,
        "retention_days": float(site.retention_days),
        "disk_budget_gb": site.disk_budget_gb,
    }


def apply_site(args: argparse.Namespace, site: SiteConfig) -> None:
    """Fill the options the command line left unset from ``site``; keep ``site`` on ``args``.

    Expects ``args`` to have ``backend`` (list), ``allow_insecure``, ``lang``, ``layout`` and
    ``ca_file``, as ``cockpit``'s parser makes them.
    """
    if not args.backend:
        args.backend = list(site.backend_urls)
    args.allow_insecure = args.allow_insecure or site.allow_insecure
    if args.lang is None:
        args.lang = site.language
    if args.layout is None:
        args.layout = site.layout
    if args.ca_file is None:
        args.ca_file = site.ca_file
    if getattr(args, "token_file", None) is None:
        args.token_file = site.token_file
    args.site_config = site
