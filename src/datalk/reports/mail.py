"""Deliver built reports by e-mail over SMTP (Czech subject and body, PDFs attached or linked).

Settings come from the environment (never from files in the repository):

    DATALK_SMTP_HOST, DATALK_SMTP_PORT (587)   server
    DATALK_SMTP_USER, DATALK_SMTP_PASSWORD     login (only over TLS, or to a loopback server)
    DATALK_SMTP_FROM                           sender address
    DATALK_SMTP_TLS      auto | starttls | ssl | none   (auto = STARTTLS whenever the server offers it)
    DATALK_SMTP_CAFILE   extra CA certificate (a server with its own certificate authority)
    DATALK_SMTP_RETRIES (3), DATALK_SMTP_RETRY_DELAY (5 s, doubled each time), DATALK_SMTP_TIMEOUT (30 s)
    DATALK_REPORTS_URL   public address of the output directory, for links instead of large attachments

Temporary failures (connection errors, 4xx replies) are retried; permanent ones (5xx)
are not. Every recipient gets a :class:`Delivery` saying what happened.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from datalk.errors import DatalkError
from datalk.reports.colophon import czech_datetime

log = logging.getLogger(__name__)
KIND_OF_SET = {"topics": "topic", "region": "region", "profiles": "profile"}


class MailError(DatalkError):
    """SMTP is not configured or refuses us in a way retrying cannot fix."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    tls: str  # auto | starttls | ssl | none
    cafile: str | None
    retries: int
    retry_delay: float
    timeout: float

    @classmethod
    def from_env(cls) -> SmtpSettings:
        env = os.environ
        host = env.get("DATALK_SMTP_HOST", "").strip()
        if not host:
            raise MailError("není nastaven SMTP server (proměnná DATALK_SMTP_HOST)")
        tls = env.get("DATALK_SMTP_TLS", "auto").strip().lower()
        if tls not in ("auto", "starttls", "ssl", "none"):
            raise MailError(f"DATALK_SMTP_TLS='{tls}': povolené hodnoty auto, starttls, ssl, none")
        default_port = 465 if tls == "ssl" else 587
        return cls(
            host=host,
            port=int(env.get("DATALK_SMTP_PORT", default_port)),
            user=env.get("DATALK_SMTP_USER") or None,
            password=env.get("DATALK_SMTP_PASSWORD") or None,
            sender=env.get("DATALK_SMTP_FROM")
            or "Datový portál Libereckého kraje <reporty@localhost>",
            tls=tls,
            cafile=env.get("DATALK_SMTP_CAFILE") or None,
            retries=max(1, int(env.get("DATALK_SMTP_RETRIES", "3"))),
            retry_delay=float(env.get("DATALK_SMTP_RETRY_DELAY", "5")),
            timeout=float(env.get("DATALK_SMTP_TIMEOUT", "30")),
        )

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.cafile:
            context.load_verify_locations(self.cafile)
        return context


@dataclass
class Delivery:
    recipient: str
    ok: bool
    attempts: int = 0
    error: str | None = None
    attached: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)


class TemporaryFailure(Exception):
    """Worth another attempt (network trouble, 4xx)."""


class PermanentFailure(Exception):
    """Retrying will not help (5xx, TLS or login refused)."""


# --- what to send ---------------------------------------------------------------------
def select_reports(manifest: dict, schedule=None) -> list[dict]:
    """Successful reports of the manifest, narrowed to what ``schedule`` builds."""
    entries = [
        e for e in manifest.get("reports", []) if e.get("ok") and (e.get("pdf") or e.get("html"))
    ]
    if schedule is None:
        return entries
    kinds = {KIND_OF_SET[s] for s in schedule.sets}
    entries = [e for e in entries if e.get("kind") in kinds]
    if schedule.topics:
        entries = [
            e for e in entries if e["kind"] != "topic" or e.get("notebook") in schedule.topics
        ]
    if schedule.areas:
        entries = [
            e for e in entries if e["kind"] != "profile" or _within(e["territory"], schedule.areas)
        ]
    return entries


def _within(code: str, areas: list[str]) -> bool:
    from datalk import sources

    levels = {"obec", "orp", "okres"}
    geography = sources.geography()
    lineage = set(geography.lineage(code))
    return any(a in lineage or (a in levels and geography.level_of(code) == a) for a in areas)


def for_recipient(entries: list[dict], areas: list[str]) -> list[dict]:
    """A recipient with ``areas`` gets only the profiles of territories within them."""
    if not areas:
        return entries
    return [e for e in entries if e["kind"] != "profile" or _within(e["territory"], areas)]


# --- the message ------------------------------------------------------------------------
def compose(
    sender: str,
    recipient: str,
    entries: list[dict],
    out_dir: Path,
    title: str,
    schedule_id: str | None,
    attach_limit: int,
    base_url: str | None,
    now: datetime,
) -> tuple[EmailMessage, list[str], list[str]]:
    """Czech message with PDFs attached up to ``attach_limit`` bytes in total, the rest linked."""
    attached, linked, lines_att, lines_link, total = [], [], [], [], 0
    payloads = []
    for entry in entries:
        rel = entry.get("pdf") or entry.get("html")
        path = out_dir / rel
        if not path.exists():
            continue
        size = path.stat().st_size
        if total + size <= attach_limit:
            total += size
            payloads.append((path, rel))
            attached.append(rel)
            lines_att.append(f" • {entry['title']} ({path.name}, {_size(size)})")
        else:
            linked.append(rel)
            where = f"{base_url.rstrip('/')}/{rel}" if base_url else f"na serveru portálu: {rel}"
            lines_link.append(f" • {entry['title']} – {where}")
    built = max((e.get("built_at") or "" for e in entries), default="")
    built_text = czech_datetime(datetime.fromisoformat(built)) if built else "–"
    body = [
        "Dobrý den,",
        "",
        f"posíláme reporty datového portálu Libereckého kraje: {title}.",
        f"Reporty byly sestaveny {built_text} z nejnovějších dostupných dat.",
        "",
    ]
    if lines_att:
        body += ["V příloze (PDF):", *lines_att, ""]
    if lines_link:
        body += ["Ke stažení (překročily by velikost přílohy):", *lines_link, ""]
    if base_url:
        body += [f"Přehled všech reportů: {base_url.rstrip('/')}/index.html", ""]
    body += [
        "Zdroje dat a jejich licence jsou uvedeny u každého grafu a tabulky; tiráž reportu odkazuje na "
        "notebook, který report zopakuje.",
        "",
        "Zpráva byla odeslána automaticky"
        + (f" podle plánu „{schedule_id}“." if schedule_id else "."),
        "Datový portál Libereckého kraje",
    ]
    message = EmailMessage()
    message["Subject"] = f"Reporty Libereckého kraje: {title} ({now.day}. {now.month}. {now.year})"
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    if schedule_id:
        message["X-Datalk-Schedule"] = schedule_id
    message.set_content("\n".join(body), charset="utf-8")
    message["Content-Language"] = "cs"  # moves into the text part once PDFs are attached
    for path, _rel in payloads:
        subtype = "pdf" if path.suffix == ".pdf" else "html"
        message.add_attachment(
            path.read_bytes(),
            maintype="application" if subtype == "pdf" else "text",
            subtype=subtype,
            filename=path.name,
        )
    return message, attached, linked


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.split("@", 1)[1] if "@" in address else "localhost"


def _size(size: int) -> str:
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


# --- SMTP ---------------------------------------------------------------------------------
def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    try:
        if settings.tls == "ssl":
            client = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=settings.context()
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        client.ehlo()
        encrypted = settings.tls == "ssl"
        if settings.tls in ("auto", "starttls") and client.has_extn("starttls"):
            client.starttls(context=settings.context())
            client.ehlo()
            encrypted = True
        elif settings.tls == "starttls":
            client.quit()
            raise PermanentFailure("server nenabízí STARTTLS (DATALK_SMTP_TLS=starttls)")
        if settings.user:
            if not encrypted and not _loopback(settings.host):
                client.quit()
                raise PermanentFailure(
                    "odmítám poslat heslo nešifrovaně (server nenabídl STARTTLS)"
                )
            client.login(settings.user, settings.password or "")
        return client
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentFailure(
            f"přihlášení k SMTP odmítnuto: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from exc
    except ssl.SSLError as exc:
        raise PermanentFailure(f"TLS: {exc}") from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, _text(exc.smtp_error)) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"spojení s {settings.host}:{settings.port}: {exc}") from exc


def _classify(code: int, text: str) -> Exception:
    return (TemporaryFailure if 400 <= code < 500 else PermanentFailure)(f"{code} {text}")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_once(settings: SmtpSettings, message: EmailMessage) -> None:
    client = _connect(settings)
    try:
        refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        raise _classify(code, f"adresát odmítnut: {_text(text)}") from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, _text(exc.smtp_error)) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"přenos zprávy: {exc}") from exc
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    if refused:
        code, text = next(iter(refused.values()))
        raise _classify(code, f"adresát odmítnut: {_text(text)}")


def deliver(
    settings: SmtpSettings, message: EmailMessage, delivery: Delivery, sleep=time.sleep
) -> Delivery:
    """Send with retries (doubling delay) for temporary failures; fills ``delivery``."""
    delay = settings.retry_delay
    for attempt in range(1, settings.retries + 1):
        delivery.attempts = attempt
        try:
            send_once(settings, message)
            delivery.ok, delivery.error = True, None
            return delivery
        except PermanentFailure as exc:
            delivery.ok, delivery.error = False, str(exc)
            return delivery
        except TemporaryFailure as exc:
            delivery.ok, delivery.error = False, str(exc)
            log.warning(
                "%s: pokus %d/%d selhal: %s", delivery.recipient, attempt, settings.retries, exc
            )
            if attempt < settings.retries:
                sleep(delay)
                delay *= 2
    return delivery


# --- a whole mailing ------------------------------------------------------------------------
def send_reports(
    out_dir: Path,
    recipients: list,
    title: str,
    schedule=None,
    attach_limit: int = 10 * 1024 * 1024,
    dry_run: bool = False,
    base_url: str | None = None,
) -> list[Delivery]:
    """One message per recipient (``schedules.Recipient``); returns what happened to each."""
    import json
    from zoneinfo import ZoneInfo

    from datalk.reports.index import read_manifest

    out_dir = Path(out_dir)
    entries = select_reports(read_manifest(out_dir), schedule)
    settings = None if dry_run else SmtpSettings.from_env()
    sender = (
        settings.sender if settings else os.environ.get("DATALK_SMTP_FROM", "reporty@localhost")
    )
    base_url = base_url or os.environ.get("DATALK_REPORTS_URL") or None
    now = datetime.now(ZoneInfo("Europe/Prague"))
    deliveries = []
    for recipient in recipients:
        mine = for_recipient(entries, list(recipient.areas))
        delivery = Delivery(recipient.email, ok=False)
        if not mine:
            delivery.error = "žádný úspěšně sestavený report k odeslání"
            deliveries.append(delivery)
            continue
        message, delivery.attached, delivery.linked = compose(
            sender,
            recipient.address,
            mine,
            out_dir,
            title,
            schedule.id if schedule else None,
            attach_limit,
            base_url,
            now,
        )
        if dry_run:
            delivery.ok = True
        else:
            deliver(settings, message, delivery)
        deliveries.append(delivery)
    if not dry_run:
        with (out_dir / "delivery-log.jsonl").open("a", encoding="utf-8") as handle:
            for d in deliveries:
                handle.write(
                    json.dumps(
                        {
                            "at": now.isoformat(timespec="seconds"),
                            "schedule": schedule.id if schedule else None,
                            "recipient": d.recipient,
                            "ok": d.ok,
                            "attempts": d.attempts,
                            "error": d.error,
                            "attached": len(d.attached),
                            "linked": len(d.linked),
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return deliveries
