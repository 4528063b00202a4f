"""What the browser tests share: Debian's Chromium, a session cookie for a user, the text size a
reader sets, and the measuring scripts (tap targets, sideways overflow) run in the page."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import login_staff

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
# Chromium's default font size (chrome://settings/fonts), which 1rem is; 13 px for monospace.
DEFAULT_FONT_PX, DEFAULT_FIXED_PX = 16, 13


def session(user, *, second_factor: bool = False) -> str:
    """The session cookie's value for a signed-in user; staff with the second factor passed."""
    client = Client()
    if second_factor:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def set_text_size(cdp, percent: int) -> None:
    """The reader's text size, as Chromium's own font-size setting (chrome://settings/fonts): the
    default font size, which `medium` and 1rem are, becomes `percent` of 16 px. `cdp` is the
    page's session (`context.new_cdp_session(page)`); the size holds for the page's later loads."""
    sizes = {"standard": round(DEFAULT_FONT_PX * percent / 100), "fixed": round(DEFAULT_FIXED_PX * percent / 100)}
    cdp.send("Page.setFontSizes", {"fontSizes": sizes})


# Tap targets (WCAG 2.2, 2.5.8): see tests/test_tap_targets.py for the one exemption.
MEASURE = """() => {
  const offenders = [];
  const words = /[\\p{L}\\p{N}]/u;
  const inSentence = (el) => {
    const parent = el.parentElement;
    if (el.tagName !== "A" || !parent || !["P", "LI"].includes(parent.tagName) || parent.className) return false;
    const rest = parent.cloneNode(true);
    rest.querySelectorAll("a, button").forEach((child) => child.remove());
    return words.test(rest.textContent);
  };
  for (const el of document.querySelectorAll("a, button, input[type=submit], summary, select, label")) {
    if (el.tagName === "LABEL" && !(el.control && el.control.type === "checkbox")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (closed <details>, [hidden])
    if (getComputedStyle(el).visibility === "hidden" || box.right <= 0 || box.bottom <= 0) continue;
    if (inSentence(el)) continue;
    const primary = el.matches(".button:not(.button-small), .button-primary");
    const minHeight = primary ? 44 : 24;
    if (box.width < 24 || box.height < minHeight) {
      const name = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ").slice(0, 40);
      offenders.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className.split(" ").join(".") : ""} "${name}" ${Math.round(box.width)}×${Math.round(box.height)} (needs 24×${minHeight})`);
    }
  }
  return offenders;
}"""

# Sideways scrolling (WCAG 2.1, 1.4.10 Reflow): null when the page is no wider than the window,
# else its width and the elements that stick out past the right edge, or whose text does, the
# deepest only (an element whose children stay inside is the one to fix). Whatever sits in a box
# that scrolls or clips sideways (a table's .table-wrap) cannot widen the page and is left out.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth <= width) return null;
  const contained = (el) => {
    for (let up = el.parentElement; up && up !== document.documentElement; up = up.parentElement) {
      if (up === document.body) return false;
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !contained(el);
  };
  // Text that runs out of its box (a long word or URL) leaves the box itself inside: its element counts.
  const runsOut = new Set();
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if ([...range.getClientRects()].some((r) => r.right > width + 0.5) && !contained(node.parentElement)) runsOut.add(node.parentElement);
  }
  const describe = (el) => {
    const box = el.getBoundingClientRect();
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const parent = el.parentElement;
    const pcls = parent && typeof parent.className === "string" && parent.className ? "." + parent.className.trim().split(/\\s+/)[0] : "";
    const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${parent ? parent.tagName.toLowerCase() + pcls + " > " : ""}${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} "${text}" ${Math.round(box.left)}–${Math.round(box.right)} px`;
  };
  const out = [...new Set([...document.body.querySelectorAll("*")].filter(sticksOut).concat([...runsOut]))];
  const leaves = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
  const elements = leaves.slice(0, 6).map(describe);
  return {pageWidth, width, elements: elements.length ? elements : ["(none found: a positioned element whose containing block is outside its scrolling box?)"]};
}"""
