"""A candidate applies in Chromium: sign in through the provider, profile, four uploads, consent,
submit, receipt (issue 5, "Done when"); with JavaScript (progress bar) and without."""

import io
import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.conftest import TEST_CANDIDATES

pytestmark = pytest.mark.e2e


def _files(folder: Path) -> list[Path]:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    paths = []
    for name in ("id-card.pdf", "өтініш.pdf", "diploma.pdf"):
        path = folder / name
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    photo = folder / "work-record.jpg"
    Image.new("RGB", (800, 600), "white").save(photo, format="JPEG")
    return [*paths, photo]


def _fill(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).first.fill(value)


def _save(page: Page, button: str, section: str) -> None:
    """Submit a profile section and wait for the profile page that follows (htmx or a redirect)."""
    with page.expect_response(
        lambda r: r.request.method == "GET" and r.url.split("#")[0].endswith("/me/profile")
    ):
        page.get_by_role("button", name=button).last.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#{section}")).to_be_visible()


def _journey(page: Page, live_url: str, sub: str, files: list[Path], *, javascript: bool) -> None:
    _sign_in_and_start(page, live_url, sub)
    _fill_profile(page, sub)
    _complete_and_submit(page, files, javascript=javascript)


def _sign_in_and_start(page: Page, live_url: str, sub: str) -> None:
    page.goto(live_url + "/astana/announcements?status=open")
    page.locator("#results .card__title a").first.click()
    page.get_by_role("link", name="Sign in to apply").click()
    page.get_by_role("link", name=re.compile("Continue to")).click()
    page.get_by_role("button", name=f"Authorize as {sub}").click()
    expect(page.get_by_role("heading", name="Apply online")).to_be_visible()
    page.get_by_role("button", name="Apply to this selection").click()
    expect(page.get_by_role("link", name="Check that you may apply")).to_be_visible()


def _fill_profile(page: Page, sub: str) -> None:
    page.get_by_role("link", name="My profile").first.click()
    _fill(page, "E-mail", f"{sub}@example.kz")
    _fill(page, "Phone", "+7 701 555 44 33")
    _save(page, "Save contact details", "contact")
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    page.get_by_label("Yes").check()
    _save(page, "Save declarations", "declarations")
    page.select_option("#education-level", "bachelor")
    _fill(page, "Institution", "Satbayev University")
    _fill(page, "Country (code)", "KZ")
    _fill(page, "Studies started", "2013-09-01")
    _fill(page, "Studies finished", "2017-06-30")
    _save(page, "Add education", "education")
    expect(page.get_by_text("Satbayev University")).to_be_visible()
    _fill(page, "Employer", "Akimat of Astana")
    _fill(page, "Position", "Specialist")
    page.select_option("#employment-kind", "labour_contract")
    _fill(page, "From", "2017-09-01")
    _save(page, "Add the period", "employment")
    expect(page.get_by_text("Akimat of Astana")).to_be_visible()


def _complete_and_submit(page: Page, files: list[Path], *, javascript: bool) -> None:
    page.get_by_role("link", name="Go to my applications").click()
    page.locator(".card__title a").first.click()
    page.get_by_role("link", name="Check that you may apply").click()
    expect(page.get_by_text("You meet the conditions of clauses 4 and 5")).to_be_visible()
    page.go_back()
    page.reload()

    direction = page.get_by_role("link", name="Choose a sector direction")
    if direction.count():
        direction.click()
        page.locator("input[name=direction]").first.check()
        page.get_by_role("button", name="Save and continue").click()

    for label, path in zip(
        (
            "Copy of the identity card or passport",
            "Application",
            "Education documents and their supplements",
            "Document confirming work activity",
        ),
        files,
        strict=True,
    ):
        page.get_by_role("link", name=label, exact=True).click()
        page.set_input_files("#file", str(path))
        if javascript:
            expect(page.locator("form[data-upload-progress] progress")).to_have_count(1)
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("The document has been uploaded.")).to_be_visible()

    page.get_by_role("link", name="Consent to the processing of personal data").click()
    page.get_by_label(re.compile("I have read the text above")).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()
    reference = page.locator(".count-badge").inner_text()
    assert re.fullmatch(r"KZ-71-2025-\d{6}", reference)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    assert download.value.suggested_filename == f"receipt-{reference}.pdf"


@pytest.mark.parametrize(("javascript", "who"), [(True, TEST_CANDIDATES[15]), (False, TEST_CANDIDATES[16])])
def test_candidate_applies_in_the_browser(
    browser: Browser, live_url: str, tmp_path: Path, javascript: bool, who: object
) -> None:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    # Only the portal's own pages count: the local provider's pages load assets from the internet.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and m.location.get("url", "").startswith(live_url)
            else None
        ),
    )
    _journey(page, live_url, who.sub, _files(tmp_path), javascript=javascript)  # type: ignore[attr-defined]
    assert errors == []
    context.close()
