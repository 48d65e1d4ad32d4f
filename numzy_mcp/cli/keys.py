"""`numzy keys create | list | revoke`: API keys for REST and MCP over HTTP."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from numzy_mcp.settings import Settings


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``keys`` command group."""
    keys = commands.add_parser(
        "keys", parents=parents, help="Create, list and revoke API keys (REST and MCP over HTTP)."
    )
    actions = keys.add_subparsers(dest="keys_command", required=True)
    create = actions.add_parser("create", parents=parents, help="Create a key and print its secret (shown only once).")
    create.add_argument("--team", default=None, help="Team of the key (default: NUMZY_DEFAULT_TEAM, 'local').")
    create.add_argument("--name", required=True, help="Who or what uses the key, e.g. 'claude-desktop'.")
    create.add_argument(
        "--scope",
        action="append",
        dest="scopes",
        default=None,
        help="receipts:read, receipts:write or rules:write; repeat for several (default: all three).",
    )
    create.add_argument("--json", action="store_true", help="Print the key as JSON.")
    listing = actions.add_parser("list", parents=parents, help="List a team's keys (never their secrets).")
    listing.add_argument("--team", default=None)
    revoke = actions.add_parser("revoke", parents=parents, help="Revoke a key; it stops working at once.")
    revoke.add_argument("key_id")
    revoke.add_argument("--team", default=None)


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run a ``keys`` command."""
    from numzy_mcp.errors import NumzyError
    from numzy_mcp.service import NumzyService

    service = NumzyService.from_settings(settings)
    await service.start()
    team = args.team or settings.default_team
    try:
        if args.keys_command == "create":
            key = await service.create_key(team, args.name, args.scopes)
            if args.json:
                print(key.model_dump_json(indent=2))
            else:
                print(key.secret)
                print(
                    f"Key {key.id} for team {key.team_id} with scopes {', '.join(key.scopes)}. "
                    "The secret above is shown only once; send it as 'Authorization: Bearer <secret>'.",
                    file=sys.stderr,
                )
        elif args.keys_command == "list":
            for info in await service.list_keys(team):
                state = f"revoked {info.revoked_at:%Y-%m-%d}" if info.revoked_at else "active"
                print(f"{info.id}\t{info.prefix}…\t{info.name}\t{' '.join(info.scopes)}\t{state}")
        else:
            info = await service.revoke_key(team, args.key_id)
            print(f"Revoked {info.id} ({info.name}).")
    except NumzyError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    finally:
        await service.close()
    return 0
