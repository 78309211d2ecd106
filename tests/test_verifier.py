"""`welfarectl verifier`: the static page providers check cards with, and the QR codes that link to it.

The page itself is checked in headless Chromium (Debian's `chromium`, driven by Playwright for
Python with the system browser), with every request that is not a file of the site aborted: for a
valid, an expired, a revoked and a forged card, through the URL fragment and the input field, it
must show the verdict `welfarectl cards verify` gives. Where chromium or playwright is missing those
tests are skipped and say so (`.ci/run` installs both)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import base45
import pytest
from cardkeys import published_block, signing_key, vector_key, write_key_file
from networks import TODAY, staff_of

from welfarectl.cards.keys import public_key_pem
from welfarectl.cards.layout import load_layout
from welfarectl.cards.payload import QR_MODULES, card_qr_matrix, encode_payload, payloads_in, qr_text, qr_version
from welfarectl.pdf import qrmatrix

FIXED = signing_key(9)  # the key of the fixed_key_file fixture
NETWORK = "welfare-modena"
URL = "https://rete.example.it/verifier.html"
VERDICT_WORDS = {"valid": "VALIDA", "expired": "SCADUTA", "revoked": "REVOCATA", "bad-signature": "NON VALIDA",
                 "malformed": "NON VALIDA", "unknown-key": "NON VALIDA", "other-network": "NON VALIDA"}


@pytest.fixture(scope="module")
def site(tmp_path_factory, issued_network) -> dict:
    """A small network with cards, one revoked, the published test vector's key among its public
    keys, and its verifier site written with the fixed key; the payloads of a valid, an expired,
    a revoked and a forged card."""
    from networks import run_welfarectl

    home = tmp_path_factory.mktemp("verifier")
    root = Path(shutil.copytree(issued_network.root, home / "net"))
    key_file = write_key_file(home / "fixed.key", FIXED)
    (root / "catalogue" / "keys").mkdir(exist_ok=True)
    vector = vector_key()
    for published in (vector, FIXED):
        (root / "catalogue" / "keys" / f"{published.key_id}.pub").write_bytes(public_key_pem(published.public_key))
    (root / "catalogue" / "keys" / "current").write_text(FIXED.key_id + "\n")
    cards = [card["card"] for card in issued_network.cards]
    revoked = run_welfarectl("-C", root, "cards", "revoke", cards[1], "--reason", "lost", home=home)
    assert revoked.exit_code == 0, revoked.output
    done = run_welfarectl("-C", root, "verifier", "--key-file", key_file, home=home)
    assert done.exit_code == 0, done.output
    valid = encode_payload(cards[0], date(2028, 11, 30), NETWORK, FIXED)
    forged = bytearray(base45.b45decode(valid[4:]))
    forged[14] ^= 1  # the expiry's last byte: a day more or less, the signature no longer matches
    return {"root": root, "home": home, "key_file": key_file, "output": done.output, "payloads": {
        "valid": valid,
        "expired": encode_payload(cards[2], date(2026, 11, 25), NETWORK, FIXED),
        "revoked": encode_payload(cards[1], date(2028, 11, 30), NETWORK, FIXED),
        "bad-signature": "WC1:" + base45.b45encode(bytes(forged)).decode("ascii"),
    }}


def cards_verify(site: dict, text: str) -> str:
    """What `welfarectl cards verify TEXT` says of it on the site's network, asked once per text
    for the module: the network does not change after the site is written."""
    verdicts = site.setdefault("verdicts", {})
    if text not in verdicts:
        from networks import run_welfarectl

        done = run_welfarectl("-C", site["root"], "cards", "verify", text, "--format", "json", home=site["home"])
        verdicts[text] = json.loads(done.stdout)["status"]
    return verdicts[text]


def config_of(page: Path) -> dict:
    found = re.search(r'<script type="application/json" id="verifier-config">(.*?)</script>', page.read_text("utf-8"), re.S)
    return json.loads(found.group(1))


# --- the site, without a browser ---------------------------------------------------------------

def test_the_site_is_one_page_and_its_assets_with_the_keys_and_the_signed_list(site):
    out = site["root"] / "output" / "verifier"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "assets/THIRD-PARTY-LICENSES.txt", "assets/qr-decoder.js", "assets/verifier.js", "verifier.html"]
    assert "verifier page -> " in site["output"] and "revocation list of 26/11/2026 with 1 card" in site["output"]
    config = config_of(out / "verifier.html")
    assert config["network"] == NETWORK and config["max_age"] == 7
    assert set(config["keys"]) == {FIXED.key_id, vector_key().key_id}
    assert config["keys"][vector_key().key_id] == json.loads(published_block("qr"))["public_key"]
    listed = json.loads(config["revocations"])
    assert (listed["issued"], listed["key_id"], len(listed["revoked"])) == ("2026-11-26", FIXED.key_id, 1)
    licences = (out / "assets" / "THIRD-PARTY-LICENSES.txt").read_text("utf-8")
    assert all(name in licences for name in ("@noble/ed25519", "@noble/hashes", "jsqr"))


def test_the_page_and_its_assets_weigh_under_400_kB_in_all(site):
    """A provider on a phone with a poor connection opens the page once; the budget is for every
    file of the site, the fallback QR decoder included."""
    out = site["root"] / "output" / "verifier"
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 400_000


def test_the_page_carries_nothing_personal_and_loads_nothing_from_elsewhere(site):
    page = (site["root"] / "output" / "verifier" / "verifier.html").read_text("utf-8")
    people = [p for company in ("ferramenta-centrale-soliera", "acetaia-il-cortile-antico") for p in staff_of(site["root"], company)]
    for person in people:
        assert person.surname not in page and person.codice_fiscale not in page
    script = (site["root"] / "output" / "verifier" / "assets" / "verifier.js").read_text("utf-8")
    assert not re.search(r"""(src|href)=["']https?:""", page) and "fetch(" not in script


def test_a_network_name_cannot_close_the_script_it_is_embedded_in():
    from welfarectl.verifier.site import script_json

    assert script_json({"name": "</script><b>&"}) == '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'


def test_the_site_is_written_into_a_directory_not_over_a_file(site, tmp_path):
    from networks import run_welfarectl

    target = tmp_path / "a-file"
    target.write_text("x")
    done = run_welfarectl("-C", site["root"], "verifier", "-o", target, "--key-file", site["key_file"], home=site["home"])
    assert done.exit_code == 2 and "is a file" in done.output
    inside = run_welfarectl("-C", site["root"], "verifier", "-o", target / "site", "--key-file", site["key_file"], home=site["home"])
    assert inside.exit_code == 2 and "cannot write" in inside.output


# --- the QR code as a link (card: verify_url) --------------------------------------------------

def test_a_link_holds_the_payload_percent_encoded_and_cards_verify_reads_both_forms(site):
    vector = json.loads(published_block("qr"))["payload"]
    link = qr_text(vector, URL)
    assert link == URL + "#" + vector.replace("%", "%25").replace(" ", "%20")
    assert payloads_in(link)[0] == vector and qr_text(vector) == vector
    assert vector in payloads_in(URL + "#" + vector.replace(" ", "%20"))  # typed by hand: an address bar's %20 only
    for status, payload in site["payloads"].items():
        assert cards_verify(site, payload) == cards_verify(site, qr_text(payload, URL)) == status


def test_a_link_makes_a_larger_code_that_still_reads_back_and_the_layout_check_follows_it():
    assert qr_version() == 6
    assert qr_version(URL) == 8 and qr_version("https://www.reticolowelfarelab.it/tessere/verifica-tessera.html") == 9
    text = qr_text(encode_payload("10000004", date(2028, 11, 30), NETWORK, FIXED), URL)
    matrix = card_qr_matrix(text)
    assert qrmatrix.version_of(matrix) == 8
    layout = "elements:\n  - type: qr\n    x: 5\n    y: 5\n    size: 21\n"
    assert load_layout(layout.encode(), "templates/card-front.yaml")[1] == []  # 41 modules: 0.43 mm
    problems = load_layout(layout.encode(), "templates/card-front.yaml", qr_modules=qrmatrix.modules_of(8))[1]
    assert [p.code for p in problems] == ["qr-too-small"] and QR_MODULES == 41


# --- the page in headless Chromium -------------------------------------------------------------

def browser():
    """Playwright's Chromium on the system's browser, or skip the test saying what is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed (`pip install playwright`; `.ci/run` installs it): "
                    "the verifier page was not checked in a browser")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium not installed (Debian package chromium; `.ci/run` installs it): "
                    "the verifier page was not checked in a browser")
    return sync_playwright, path


@pytest.fixture(scope="module")
def chromium_driver():
    """Playwright, started once for the module, and the path of the system's chromium."""
    sync_playwright, path = browser()
    with sync_playwright() as playwright:
        yield playwright, path


@pytest.fixture(scope="module")
def page(site, chromium_driver):
    """The page in headless Chromium on 2026-11-26, every request that is not a file aborted."""
    playwright, path = chromium_driver
    chromium = playwright.chromium.launch(executable_path=path)
    context = chromium.new_context()
    context.set_offline(True)
    requests: list[str] = []

    def only_files(route):
        requests.append(route.request.url)
        return route.continue_() if route.request.url.startswith("file:") else route.abort()

    context.route("**/*", only_files)
    tab = context.new_page()
    tab.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")
    tab.requests = requests
    yield tab
    chromium.close()


def open_page(page, site, fragment: str = "") -> None:
    url = (site["root"] / "output" / "verifier" / "verifier.html").as_uri()
    page.goto("about:blank")
    page.goto(url + fragment)
    page.wait_for_selector("html[data-ready]")


def verdict(page) -> tuple[str, str]:
    return page.inner_text("#verdict-title"), page.inner_text("#verdict-detail")


@pytest.mark.parametrize("status", ["valid", "expired", "revoked", "bad-signature"])
def test_the_page_shows_the_verdict_of_a_fragment_and_of_the_field_as_cards_verify_does(page, site, status, tmp_path):
    payload = site["payloads"][status]
    assert cards_verify(site, payload) == status
    open_page(page, site, "#" + payload)
    page.wait_for_selector("html[data-verdict-ms]")
    title, detail = verdict(page)
    assert page.get_attribute("#verdict", "data-status") == status and title == VERDICT_WORDS[status]
    card = base45.b45decode(payload[4:])[9:13]
    if status != "bad-signature":
        number = f"{int.from_bytes(card, 'big'):08d}"
        assert f"Tessera {number[:4]} {number[4:]}" in detail
    page.screenshot(path=tmp_path / f"verdict-{status}.png", full_page=True)

    open_page(page, site)
    page.fill("#payload", payload)
    page.click("#check")
    assert page.get_attribute("#verdict", "data-status") == status and verdict(page)[0] == VERDICT_WORDS[status]
    page.click("#lang")
    english = {"valid": "VALID", "expired": "EXPIRED", "revoked": "REVOKED", "bad-signature": "NOT VALID"}[status]
    assert verdict(page)[0] == english
    page.click("#lang")
    assert all(url.startswith("file:") for url in page.requests)


def test_a_link_from_a_phone_camera_opens_the_page_on_the_verdict(page, site):
    link = qr_text(site["payloads"]["valid"], URL)
    open_page(page, site, link[len(URL):])
    page.wait_for_selector("html[data-verdict-ms]")
    assert verdict(page)[0] == "VALIDA"
    page.fill("#payload", link)  # a link pasted in the field works too
    page.click("#check")
    assert verdict(page)[0] == "VALIDA"


def test_the_page_decodes_the_published_test_vector_as_welfarectl_does(page, site):
    vector = json.loads(published_block("qr"))
    open_page(page, site)
    decoded = page.evaluate("(text) => { const d = welfareVerifier.decodePayload(text); "
                            "return {keyId: d.keyId, tag: d.networkTag, card: d.card, days: d.expiresDays, expires: d.expires, "
                            "body: Array.from(d.body, b => b.toString(16).padStart(2, '0')).join('')}; }", vector["payload"])
    assert decoded == {"keyId": vector["key_id"], "tag": vector["network_tag"], "card": vector["card"],
                       "days": vector["expires_days"], "expires": vector["expires"], "body": vector["body"]}
    assert page.evaluate("(id) => welfareVerifier.networkTag(id)", vector["network"]) == vector["network_tag"]
    assert page.evaluate("(o) => welfareVerifier.canonicalJson(o)", json.loads(published_block("revocations"))) \
        .removesuffix("}").startswith(published_block("revocations-signed").removesuffix("}"))
    page.fill("#payload", vector["payload"])
    page.click("#check")
    status = page.get_attribute("#verdict", "data-status")
    assert status == cards_verify(site, vector["payload"]) == "valid"
    assert verdict(page)[1] == "Tessera 1000 0004, valida fino al 30/11/2028."


def test_malformed_text_and_another_networks_card_are_not_valid(page, site):
    other = encode_payload("10000004", date(2028, 11, 30), "welfare-bologna", FIXED)
    unknown = encode_payload("10000004", date(2028, 11, 30), NETWORK, signing_key(4))
    open_page(page, site)
    for text, status in [("hello", "malformed"), (other, "other-network"), (unknown, "unknown-key")]:
        page.fill("#payload", text)
        page.click("#check")
        assert page.get_attribute("#verdict", "data-status") == status == cards_verify(site, text)
        assert verdict(page)[0] == "NON VALIDA"


def test_the_page_shows_its_lists_date_and_warns_when_it_is_old(page, site):
    open_page(page, site)
    assert page.inner_text("#list-status") == "Elenco delle tessere revocate del 26/11/2026 (1 tessera)."
    page.clock.set_fixed_time("2026-12-10T10:00:00")
    open_page(page, site)
    assert "l'elenco ha 14 giorni (più di 7)" in page.inner_text("#list-status")
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")


def test_an_altered_revocation_list_is_not_believed(page, site, tmp_path):
    out = site["root"] / "output" / "verifier"
    altered = tmp_path / "altered"
    shutil.copytree(out, altered)
    html = (altered / "verifier.html").read_text("utf-8")
    (altered / "verifier.html").write_text(re.sub(r'\\"revoked\\":\[[^\]]*\]', r'\\"revoked\\":[]', html), "utf-8")
    page.goto((altered / "verifier.html").as_uri() + "#" + site["payloads"]["revoked"])
    page.wait_for_selector("html[data-verdict-ms]")
    assert page.get_attribute("#verdict", "data-status") == "revocation-unchecked"
    assert "non è autentico" in page.inner_text("#list-status")


def card_code_image(text: str, scale: int, border: int):
    """The QR code of a card holding `text`, as a printed card shows it: black modules on white,
    `scale` pixels a module, `border` white pixels around."""
    from PIL import Image

    matrix = card_qr_matrix(text)
    modules = qrmatrix.modules_of(qrmatrix.version_of(matrix))
    image = Image.frombytes("L", (modules, modules), matrix).resize((modules * scale, modules * scale), Image.NEAREST)
    framed = Image.new("L", (image.width + 2 * border, image.height + 2 * border), 255)
    framed.paste(image, (border, border))
    return framed


def test_the_bundled_decoder_reads_a_card_qr_code_offline(page, site):
    """Where the browser has no BarcodeDetector the page loads assets/qr-decoder.js (jsQR, plain
    JavaScript): it must read a printed card's code without fetching anything."""
    import base64
    import io

    text = qr_text(site["payloads"]["valid"], URL)
    png = io.BytesIO()
    card_code_image(text, 6, 24).save(png, "PNG")
    open_page(page, site)
    read = page.evaluate("""async (url) => {
        await new Promise((ok, fail) => { const s = document.createElement('script');
            s.src = 'assets/qr-decoder.js'; s.onload = ok; s.onerror = fail; document.head.append(s); });
        const image = new Image(); image.src = url; await image.decode();
        const codes = await new WelfareQrDecoder({formats: ['qr_code']}).detect(image);
        return codes.map(c => c.rawValue); }""", "data:image/png;base64," + base64.b64encode(png.getvalue()).decode())
    assert read == [text]
    assert all(url.startswith(("file:", "data:")) for url in page.requests)


def write_y4m(path: Path, image, width: int = 640, height: int = 480) -> Path:
    """A short video (YUV4MPEG2, which Chromium's fake camera plays in a loop) of `image` held
    grey-on-grey in the middle of the frame, as a phone camera sees a card."""
    from PIL import Image

    frame = Image.new("L", (width, height), 200)
    frame.paste(image.point(lambda v: 30 if v < 128 else 225), ((width - image.width) // 2, (height - image.height) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2 * 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(10):
            video.write(b"FRAME\n" + frame.tobytes() + chroma)
    return path


def test_scanning_a_card_with_the_camera_shows_its_verdict(site, chromium_driver, tmp_path):
    """The whole scan, as a provider does it: press the camera button, hold the card up. Chromium's
    fake camera plays a video of a printed card's code; the page has no BarcodeDetector (as Chrome
    on Linux and Windows, Firefox), so the bundled decoder reads the frames."""
    playwright, path = chromium_driver
    text = qr_text(site["payloads"]["valid"], URL)
    video = write_y4m(tmp_path / "card.y4m", card_code_image(text, 5, 0))
    chromium = playwright.chromium.launch(executable_path=path, args=[
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = chromium.new_context()
        context.set_offline(True)
        tab = context.new_page()
        tab.add_init_script("delete window.BarcodeDetector;")
        tab.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")
        tab.goto((site["root"] / "output" / "verifier" / "verifier.html").as_uri())
        tab.wait_for_selector("html[data-ready]")
        tab.click("#scan")
        tab.wait_for_selector('#verdict[data-status="valid"]', timeout=15_000)
        assert tab.input_value("#payload") == text and verdict(tab)[0] == "VALIDA"
        assert tab.is_hidden("#camera"), "the camera is closed once the code is read"
        assert tab.inner_text("#scan-error") == ""
        tab.screenshot(path=tmp_path / "verdict-scanned.png", full_page=True)
    finally:
        chromium.close()


def test_without_ed25519_in_webcrypto_the_bundled_library_gives_the_same_verdicts(page, site):
    """Browsers without Ed25519 in WebCrypto (Safari before 17, older Chrome) verify with the
    bundled @noble/ed25519: the verdicts must not change."""
    open_page(page, site, "#" + site["payloads"]["valid"])
    page.wait_for_selector("html[data-verdict-ms]")
    assert page.evaluate("welfareVerifier.engine()") == "WebCrypto", "this Chromium verifies with WebCrypto"
    context = page.context.browser.new_context()
    try:
        context.set_offline(True)
        tab = context.new_page()
        tab.add_init_script("""{ const importKey = crypto.subtle.importKey.bind(crypto.subtle);
            crypto.subtle.importKey = (format, data, algorithm, ...rest) =>
                (algorithm === 'Ed25519' || (algorithm && algorithm.name === 'Ed25519'))
                    ? Promise.reject(new DOMException('no Ed25519', 'NotSupportedError'))
                    : importKey(format, data, algorithm, ...rest); }""")
        tab.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")
        tab.goto((site["root"] / "output" / "verifier" / "verifier.html").as_uri())
        tab.wait_for_selector("html[data-ready]")
        assert "(1 tessera)" in tab.inner_text("#list-status"), "the signed list is believed"
        for status, payload in site["payloads"].items():
            tab.fill("#payload", payload)
            tab.click("#check")
            assert tab.get_attribute("#verdict", "data-status") == status
        assert tab.evaluate("welfareVerifier.engine()") == "noble"
    finally:
        context.close()
