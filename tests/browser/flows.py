"""What a person does on the pages, step by step, finding fields by their visible labels."""

from __future__ import annotations

import re
import struct
import time
import zlib
from dataclasses import dataclass

import pyotp
import zxingcpp
from playwright.sync_api import Page, expect

TOTP_STEP = 30


@dataclass
class Enrolment:
    totp_secret: str
    recovery_codes: list[str]
    otpauth_uri: str = ""

    def code(self, steps_ahead: int = 0) -> str:
        """The TOTP code of the current time step, or of a later one: each step's code is
        accepted once, and the server also takes the next step's (one step of drift)."""
        return pyotp.TOTP(self.totp_secret).at(time.time() + steps_ahead * TOTP_STEP)


def register(page: Page, url: str, password: str, *, expect_account: str) -> Enrolment:
    """Open a registration link, create the account, read what the page shows once."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(expect_account)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create account").click()
    secret = page.locator("#totp-secret")
    expect(secret).to_have_text(re.compile(r"^[A-Z2-7 ]{16,}$"))
    codes = page.locator("#recovery-codes li").all_inner_texts()
    expect(page.locator("#qr svg")).to_be_visible()
    uri = page.get_by_role("link", name="Open it in your authenticator app").get_attribute("href")
    assert uri is not None
    return Enrolment(secret.inner_text().replace(" ", ""), [c.strip() for c in codes], uri)


def read_qr(page: Page, selector: str = "#qr") -> list[str]:
    """Photograph the QR code as drawn on the screen and decode it, as a phone's camera
    would (zxing-cpp): what it holds, not just that something is drawn."""
    png = page.locator(selector).screenshot()
    width, height, gray = png_to_gray(png)
    image = memoryview(gray).cast("B", shape=[height, width])
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def png_to_gray(png: bytes) -> tuple[int, int, bytearray]:
    """Decode the 8-bit, non-interlaced RGB(A) PNG a Chromium screenshot is into gray pixels."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0), (depth, interlace)
    assert color in (2, 6), color
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(data)
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    gray = bytearray(
        sum(row[x * channels : x * channels + 3]) // 3 for row in rows for x in range(width)
    )
    return width, height, gray


def confirm_enrolment(page: Page, code: str) -> None:
    """Tick "I have saved them" and prove the authenticator with a first code."""
    page.get_by_label("I have saved them").check()
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(re.compile(r"/account$"))


def log_in(
    page: Page,
    base_url: str,
    account: str,
    password: str,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
) -> None:
    """The two steps of /login; stays on the page (for the caller to check) if refused."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Account").fill(account)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    if recovery_code is not None:
        page.get_by_role("button", name="Use a recovery code instead").click()
        page.get_by_label("Recovery code").fill(recovery_code)
    else:
        assert totp_code is not None
        page.get_by_label("Authenticator code").fill(totp_code)
    page.get_by_role("button", name="Log in", exact=True).click()


def expect_account_page(page: Page, name: str) -> None:
    page.wait_for_url(re.compile(r"/account$"))
    expect(page.locator("#who")).to_have_text(name)


def log_out(page: Page) -> None:
    # exact: the account page also has "Log out everywhere else"
    page.get_by_role("button", name="Log out", exact=True).click()
    page.wait_for_url(re.compile(r"/login(/password)?$"))


def alert(page: Page) -> str:
    """The visible error message of the page's current step."""
    message = page.locator("[role=alert]:visible")
    expect(message).to_have_count(1)
    return message.inner_text()
