"""``hoso keys``: create, list and revoke API keys (the key is printed once, only its hash kept)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import get_settings
from storage.apikeys import ROLES, UnknownRoleError, create_api_key, list_api_keys, revoke_api_key


def register(app: typer.Typer) -> None:
    keys = typer.Typer(help="API keys for staff and integrators.", no_args_is_help=True)
    app.add_typer(keys, name="keys")

    def _storage():
        from api.runtime import open_runtime

        return open_runtime(get_settings())

    @keys.command("create")
    def create(
        role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")],
        name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")],
    ) -> None:
        """Create a key and print it once: store it now, it cannot be shown again."""
        storage = _storage()
        try:
            with storage.sessions.begin() as session:
                row, key = create_api_key(session, name, role)
                key_id = row.key_id
        except UnknownRoleError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        finally:
            storage.close()
        typer.echo(key)
        typer.echo(f"key id {key_id}, role {role}, name {name!r}: shown once only", err=True)

    @keys.command("list")
    def list_() -> None:
        """Every key: id, role, name, created, revoked (never the key itself)."""
        storage = _storage()
        try:
            with storage.sessions() as session:
                for row in list_api_keys(session):
                    revoked = f" revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else ""
                    typer.echo(
                        f"{row.key_id}  {row.role:<10}  {row.name}  "
                        f"created {row.created_at:%Y-%m-%d}{revoked}"
                    )
        finally:
            storage.close()

    @keys.command("revoke")
    def revoke(key_id: Annotated[str, typer.Argument(help="The key id from `hoso keys list`.")]):
        """Revoke a key at once (requests with it get 401)."""
        storage = _storage()
        try:
            with storage.sessions.begin() as session:
                row = revoke_api_key(session, key_id)
        finally:
            storage.close()
        if row is None:
            typer.echo(f"error: no key with id {key_id!r} (see `hoso keys list`)", err=True)
            raise typer.Exit(2)
        typer.echo(f"revoked {key_id}")
