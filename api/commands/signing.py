"""`hoso sign`, `hoso verify` and `hoso issue`: settings in, plain values down to ``signing``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers import Signer

from api.settings import Settings, get_settings
from signing.devpki import ensure_dev_pki
from signing.errors import SigningError
from signing.keys import KeySource, Pkcs11Key, Pkcs12Key, load_certificates, open_signer
from signing.pades import PadesLevel, SigningProfile, sign_result
from signing.validate import ValidationReport, validate_pdf

DEV_PKI_DIR = "dev-pki"


@dataclass(frozen=True)
class SigningSetup:
    """The configured keys and trust roots; dev PKI stands in for anything unset."""

    officer: KeySource
    seal: KeySource
    trust_roots: list[asn1_x509.Certificate]
    uses_dev_pki: bool


def _key(settings: Settings, role: str) -> KeySource | None:
    token_label = getattr(settings, f"{role}_token_label")
    key_label = getattr(settings, f"{role}_key_label")
    if settings.pkcs11_module and token_label and key_label:
        return Pkcs11Key(
            settings.pkcs11_module, token_label, key_label, getattr(settings, f"{role}_pin")
        )
    p12 = getattr(settings, f"{role}_pkcs12")
    if p12:
        return Pkcs12Key(p12, getattr(settings, f"{role}_pkcs12_password"))
    return None


def signing_setup(settings: Settings) -> SigningSetup:
    """Keys and trust roots from settings, generating the development PKI if needed."""
    officer, seal = _key(settings, "officer"), _key(settings, "seal")
    roots = load_certificates(settings.trust_roots)
    uses_dev = officer is None or seal is None
    if uses_dev:
        pki = ensure_dev_pki(settings.data_dir / DEV_PKI_DIR)
        officer = officer or Pkcs12Key(pki.officer_pkcs12)
        seal = seal or Pkcs12Key(pki.seal_pkcs12)
        roots += load_certificates([pki.root_cert])
        typer.echo(
            f"warning: signing with DEVELOPMENT TEST keys from {pki.directory} "
            "(not legally valid); configure officer/seal keys for production",
            err=True,
        )
    elif not roots:
        raise SigningError("no trust roots configured (HOSO_TRUST_ROOTS): cannot validate")
    assert officer is not None and seal is not None
    return SigningSetup(officer, seal, roots, uses_dev)


@contextmanager
def open_signers(setup: SigningSetup) -> Iterator[tuple[Signer, Signer]]:
    """Open the officer's and the seal's signers (token sessions close on exit)."""
    with ExitStack() as stack:
        officer = stack.enter_context(open_signer(setup.officer))
        seal = stack.enter_context(open_signer(setup.seal))
        yield officer, seal


def make_profile(
    settings: Settings, setup: SigningSetup, level: PadesLevel, officer_title: str
) -> SigningProfile:
    return SigningProfile(
        level=level,
        tsa_url=settings.tsa_url,
        trust_roots=setup.trust_roots,
        officer_title=officer_title,
        timezone=settings.signing_timezone,
    )


def verify_url(settings: Settings, dossier_code: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/verify/{dossier_code}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a failure never leaves half a PDF."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _print_report(report: ValidationReport) -> None:
    for s in report.signatures:
        mark = "OK " if s.ok else "BAD"
        typer.echo(f"[{mark}] {s.field}: {s.signer} ({s.level or '?'})")
        typer.echo(
            f"      intact={s.intact} trusted={s.trusted} timestamp={s.timestamp or '-'} "
            f"revocation={s.revocation} changes after={s.changes_after}"
        )
        for p in s.problems:
            typer.echo(f"      - {p}")
    for p in report.problems:
        typer.echo(f"- {p}")
    typer.echo("VALID" if report.valid else "INVALID")


def register(app: typer.Typer) -> None:
    """Add the signing commands to the ``hoso`` CLI."""
    _register_issue(app)

    @app.command("sign")
    def sign_cmd(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="PDF to sign."),
        out: Path = typer.Option(..., "--out", "-o", help="Where to write the signed PDF."),
        level: PadesLevel = typer.Option(PadesLevel.B_B, "--level", help="PAdES level."),
        title: str = typer.Option("Công chức", "--title", help="Officer's job title."),
        dossier_code: str | None = typer.Option(
            None, "--dossier-code", help="Add a QR code linking to this dossier's verify page."
        ),
        no_seal: bool = typer.Option(False, "--no-seal", help="Officer signature only."),
    ) -> None:
        """Sign FILE with the officer's key, then the agency seal (PAdES)."""
        from signing.appearance import add_verification_qr

        if out.resolve() == file.resolve():
            raise _fail("--out must differ from the input file; the input is never modified")
        settings = get_settings()
        try:
            data = file.read_bytes()
            if dossier_code:
                data = add_verification_qr(data, verify_url(settings, dossier_code))
            setup = signing_setup(settings)
            profile = make_profile(settings, setup, level, title)
            with open_signers(setup) as (officer, seal):
                signed = sign_result(data, officer, None if no_seal else seal, profile)
        except SigningError as exc:
            raise _fail(str(exc)) from None
        write_atomically(out, signed)
        typer.echo(f"signed {file} -> {out} ({level})")

    @app.command("verify")
    def verify_cmd(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Signed PDF."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        online: bool = typer.Option(False, "--online", help="Also fetch OCSP/CRL."),
    ) -> None:
        """Validate every signature in FILE; exit 0 if all are valid, 1 if not."""
        settings = get_settings()
        try:
            roots = load_certificates(settings.trust_roots)
            pki = ensure_dev_pki(settings.data_dir / DEV_PKI_DIR)
            if not roots or _key(settings, "officer") is None:
                roots += load_certificates([pki.root_cert])
            report = validate_pdf(file.read_bytes(), roots, allow_fetching=online)
        except SigningError as exc:
            raise _fail(str(exc)) from None
        if as_json:
            json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            _print_report(report)
        raise typer.Exit(0 if report.valid else 1)


def _describe(source: KeySource) -> str:
    """Which key signed, for the event log (never the PIN or password)."""
    if isinstance(source, Pkcs11Key):
        return f"pkcs11:{source.token_label}/{source.key_label}"
    return f"pkcs12:{Path(source.path).name}"


def _register_issue(app: typer.Typer) -> None:
    @app.command("issue")
    def issue_cmd(
        code: str | None = typer.Argument(None, help="Dossier code; omit with --all."),
        all_resolved: bool = typer.Option(
            False, "--all", help="Issue every resolved dossier still waiting for its result."
        ),
        pdf: Path | None = typer.Option(
            None, "--pdf", exists=True, dir_okay=False, help="Officer's own result PDF."
        ),
        level: PadesLevel = typer.Option(PadesLevel.B_B, "--level", help="PAdES level."),
        title: str = typer.Option("Công chức", "--title", help="Officer's job title."),
        officer: str = typer.Option(
            os.environ.get("USER", "officer"), "--officer", help="Signing officer's name."
        ),
    ) -> None:
        """Sign and store dossier results; each dossier moves to result_issued."""
        from sqlalchemy import select

        from api.issuing import issue_result, issue_results
        from api.runtime import open_runtime
        from storage.errors import StorageError
        from storage.lifecycle import Status, append_event
        from storage.models import Dossier

        if (code is None) == (not all_resolved):
            raise _fail("give one dossier code, or --all")
        if pdf is not None and all_resolved:
            raise _fail("--pdf goes with a single dossier code, not --all")
        settings = get_settings()
        storage = open_runtime(settings)
        actor = f"officer:{officer}"
        try:
            if all_resolved:
                with storage.sessions() as session:
                    codes = list(session.scalars(
                        select(Dossier.code).where(Dossier.status == Status.RESOLVED.value)
                        .order_by(Dossier.id)
                    ))  # fmt: skip
                outcomes = issue_results(
                    settings, storage, codes, actor, level=level.value, officer_title=title
                )
            else:
                try:
                    outcomes = {str(code): issue_result(
                        settings, storage, str(code), actor,
                        pdf=pdf.read_bytes() if pdf is not None else None,
                        level=level.value, officer_title=title,
                    )}  # fmt: skip
                except (SigningError, StorageError) as exc:
                    outcomes = {str(code): exc}
            setup = signing_setup(settings)
            failures = 0
            for dossier_code, outcome in outcomes.items():
                if isinstance(outcome, Exception):
                    failures += 1
                    typer.echo(f"error: {dossier_code}: {outcome}", err=True)
                    continue
                with storage.sessions.begin() as session:
                    dossier_id = session.scalar(
                        select(Dossier.id).where(Dossier.code == dossier_code)
                    )
                    append_event(session, actor, "result.signed", dossier_id, {
                        "result": outcome, "level": level.value, "officer": officer,
                        "officer_title": title, "officer_key": _describe(setup.officer),
                        "seal_key": _describe(setup.seal), "dev_pki": setup.uses_dev_pki,
                    })  # fmt: skip
                typer.echo(f"issued {dossier_code}: {outcome} ({level})")
            if not outcomes:
                typer.echo("no resolved dossiers are waiting for a result")
        except SigningError as exc:
            raise _fail(str(exc)) from None
        finally:
            storage.close()
        raise typer.Exit(1 if failures else 0)
