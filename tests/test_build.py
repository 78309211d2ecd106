"""`welfarectl build`: every output of the network in one command, only what changed, the same
bytes from the same files, and a manifest that says what each output was made from.

The small network (three companies' workbooks, the sample catalogue: 50 member companies, so 51
booklets) is built once for the module; tests that change it build a copy."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key, write_key_file
from networks import SMALL_COMPANIES, copy_small_network, run_welfarectl
from stdnum.it import codicefiscale
from xlsxfiles import write_workbook

from welfarectl.network.members import list_workbooks

HELD_BACK = 10


def a_codice_fiscale(stem: str) -> str:
    return stem + codicefiscale.calc_check_digit(stem)


NUOVI, ROSSI = a_codice_fiscale("NVONNI80A41F257"), a_codice_fiscale("RSSNNA80A41F257")


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("build-home")


@pytest.fixture(scope="module")
def key(home: Path) -> Path:
    return write_key_file(home / "signing.key", signing_key(11))


def build(root: Path, home: Path, *args: object, key: Path | None = None, **env):
    """`welfarectl -C root build ARGS` with the test key."""
    return run_welfarectl("-C", root, "build", *args, home=home, WELFARECTL_SIGNING_KEY=str(key) if key else None, **env)


@pytest.fixture(scope="module")
def built(home: Path, key: Path):
    """The small network built once, on two processes, and what the build printed."""
    root = copy_small_network(home / "net")
    done = build(root, home, "--jobs", "2", key=key)
    assert done.exit_code == 0, done.output
    return root, done


@pytest.fixture
def copy(built, tmp_path: Path) -> Path:
    """A copy of the built network (modification times kept), to change."""
    return Path(shutil.copytree(built[0], tmp_path / "net"))


def outputs(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted((root / "output").rglob("*"))
            if path.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {path.relative_to(root).as_posix(): path.stat().st_mtime_ns for path in sorted(root.rglob("*"))
            if path.is_file()}


def manifest(root: Path) -> dict:
    return json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))


def edit_a_service(root: Path) -> None:
    services = root / "catalogue" / "services.yaml"
    text = services.read_text(encoding="utf-8")
    first = text.index("title: ") + len("title: ")
    services.write_text(text[:first] + "Nuovo " + text[first:], encoding="utf-8")


# --- a build ----------------------------------------------------------------------------------------

def test_a_build_writes_every_output_and_the_manifest(built):
    root, done = built
    files = outputs(root)
    booklets = sorted(p.name for p in (root / "output/booklet").glob("*.pdf"))
    assert len(booklets) == 51 and "booklet-it.pdf" in booklets  # the full booklet and 50 company editions
    for name in ("output/booklet/booklet-it.pdf", "output/cards/cards-a4-new.pdf", "output/cards/cards-a4-new.csv",
                 "output/cards/cards-a4-new.txt", "output/report/report.pdf", "output/report/report.xlsx",
                 "output/report/report.json", "output/verifier/verifier.html", "output/manifest.json"):
        assert name in files, name
    assert files["output/cards/cards-a4-new.pdf"].startswith(b"%PDF")
    listed = manifest(root)
    assert listed["welfarectl"] == "0.1.0" and sorted(listed["targets"]) == ["booklet", "cards", "report", "verifier"]
    recorded = {o["path"]: o for entry in listed["targets"].values() for o in entry["outputs"]}
    assert sorted(recorded) == sorted(set(files) - {"output/manifest.json"})  # every output, each once
    for path, output in recorded.items():
        assert output["sha256"] == hashlib.sha256(files[path]).hexdigest() and output["size"] == len(files[path])
    report = json.loads(files["output/report/report.json"])
    assert report["as_of"] == "2026-11-26"


def test_the_manifest_says_what_each_target_was_made_from(built):
    targets = manifest(built[0])["targets"]
    inputs = {name: [i["path"] for i in entry["inputs"]] for name, entry in targets.items()}
    workbooks = [f"members/{company}.xlsx" for company in sorted(SMALL_COMPANIES)]
    assert inputs["booklet"] == ["catalogue/network.yaml", "catalogue/organisations.yaml", "catalogue/services.yaml"]
    assert "catalogue/services.yaml" not in inputs["cards"] and set(workbooks) <= set(inputs["cards"])
    assert any(path.startswith("catalogue/keys/") for path in inputs["cards"])
    assert set(workbooks) | {"catalogue/services.yaml", "catalogue/workshops.yaml"} <= set(inputs["report"])
    assert [t["path"] for t in targets["cards"]["templates"]] == ["templates/card-back.yaml", "templates/card-front.yaml"]
    assert {t["path"] for t in targets["booklet"]["templates"]} >= {"templates/booklet/it/cover.j2"}
    assert "registry" in targets["report"] and "registry" not in targets["booklet"]
    key = (built[0] / "catalogue/keys/current").read_text().strip()
    assert targets["cards"]["options"] == {"as_of": "2026-11-26", "key": key, "sheet": "a4", "source_date_epoch": None}
    assert targets["booklet"]["options"]["lang"] == "it" and "as_of" not in targets["booklet"]["options"]
    assert targets["verifier"]["options"]["as_of"] == "2026-11-26"


def test_without_a_terminal_each_step_is_one_plain_line(built):
    out = built[1].stdout
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert "cards: stale: not built yet" in lines
    assert any(line.startswith("cards: issued ") and line.endswith(" cards") for line in lines)
    assert any(line.startswith("cards: ") and "-> " in line and "cards-a4-new.pdf" in line for line in lines)
    assert sum(line.startswith("booklet: ") and line.endswith("-it.pdf") for line in lines) == 51
    assert any(line.startswith("report: ") and "report.pdf" in line for line in lines)
    assert any(line.startswith("verifier: ") and "verifier.html" in line for line in lines)
    assert lines[-1].startswith("built cards, booklet, report, verifier; manifest ")


def test_a_second_build_rewrites_nothing_and_says_it_is_up_to_date(copy, home, key):
    before = mtimes(copy)
    again = build(copy, home, key=key)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "up to date: cards, booklet, report, verifier (output/manifest.json)"
    assert mtimes(copy) == before  # not a file touched, the registry and the manifest included
    assert build(copy, home, "--check", key=key).exit_code == 0


def test_an_up_to_date_build_does_not_load_the_network(copy, home, key, monkeypatch):
    import welfarectl.pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("the network was loaded")

    monkeypatch.setattr(welfarectl.pipeline, "load_network", refuse)
    assert build(copy, home, key=key).exit_code == 0


def test_a_changed_service_rebuilds_the_booklets_and_the_report_not_the_cards(copy, home, key):
    before = mtimes(copy)
    edit_a_service(copy)
    check = build(copy, home, "--check", key=key)
    assert check.exit_code == 1
    stale = check.stdout.splitlines()
    assert "output/booklet/booklet-it.pdf: stale: catalogue/services.yaml changed" in stale
    assert "output/report/report.json: stale: catalogue/services.yaml changed" in stale
    assert not any(line.startswith(("output/cards/", "output/verifier/")) for line in stale)
    assert stale[-1] == "stale: booklet, report; `welfarectl build` rebuilds them"
    assert mtimes(copy) == {**before, "catalogue/services.yaml": mtimes(copy)["catalogue/services.yaml"]}  # --check wrote nothing
    done = build(copy, home, key=key)
    assert done.exit_code == 0, done.output
    after = mtimes(copy)
    changed = {path for path in after if after[path] != before.get(path)}
    assert {path for path in changed if path.startswith("output/")} == \
        {p for p in after if p.startswith(("output/booklet/", "output/report/"))} | {"output/manifest.json"}
    assert not any(path.startswith("members/") for path in changed)  # no card issued or printed
    assert "cards: up to date" in done.stdout.splitlines()
    assert build(copy, home, "--check", key=key).exit_code == 0


def test_an_output_edited_by_hand_or_deleted_is_built_again(copy, home, key):
    (copy / "output/report/report.json").write_text("{}", encoding="utf-8")
    (copy / "output/verifier/verifier.html").unlink()
    check = build(copy, home, "--check", key=key)
    assert check.exit_code == 1
    assert "output/report/report.json: changed since it was built" in check.stdout
    assert "output/verifier/verifier.html: missing" in check.stdout
    done = build(copy, home, "report", "verifier", key=key)
    assert done.exit_code == 0, done.output
    assert json.loads((copy / "output/report/report.json").read_text())["as_of"] == "2026-11-26"
    assert (copy / "output/verifier/verifier.html").is_file()
    assert build(copy, home, "--check", key=key).exit_code == 0


def test_another_day_makes_the_day_dependent_targets_stale(copy, home, key):
    check = build(copy, home, "--check", key=key, day=date(2026, 11, 27))
    assert check.exit_code == 1
    assert check.stdout.splitlines()[-1] == "stale: cards, report, verifier; `welfarectl build` rebuilds them"
    assert "the day (--as-of) is not the one it was built with" in check.stdout


def test_a_new_employee_gets_a_card_in_a_batch_of_their_own(copy, home, key):
    card_batch = (copy / "output/cards/cards-a4-new.csv").read_text(encoding="utf-8-sig")
    company = SMALL_COMPANIES[0]
    write_workbook(copy / "members" / f"{company}.xlsx",
                   [["Cognome", "Nome", "Codice fiscale", "Data assunzione"], ["Nuovi", "Nina", NUOVI, date(2026, 1, 1)]])
    done = build(copy, home, "cards", key=key)
    assert done.exit_code == 0, done.output
    assert "cards: issued 1 card" in done.stdout.splitlines()
    batch = (copy / "output/cards/cards-a4-new.csv").read_text(encoding="utf-8-sig")
    assert batch != card_batch and {line.split(",")[5] for line in batch.splitlines()[1:]} == {"Nina Nuovi"}
    assert build(copy, home, "cards", "--check", key=key).exit_code == 0


# --- the same bytes -----------------------------------------------------------------------------------

def test_two_clean_builds_give_the_same_bytes_and_the_same_manifest_whatever_the_jobs(built, home, key, tmp_path):
    other = copy_small_network(tmp_path / "net")
    done = build(other, home, "--jobs", "1", key=key)
    assert done.exit_code == 0, done.output
    first, second = outputs(built[0]), outputs(other)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# --- refusals, problems ---------------------------------------------------------------------------------

def test_with_errors_nothing_is_written(small_network, welfarectl, fixed_key_file):
    services = small_network / "catalogue" / "services.yaml"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("provider: ", "provider: nessuno-", 1), encoding="utf-8")
    before = mtimes(small_network)
    done = welfarectl("-C", small_network, "build", "--key-file", fixed_key_file)
    assert done.exit_code == 1
    assert "catalogue/services.yaml:" in done.stdout and "error[unknown-reference]" in done.stdout
    assert "the network has errors" in done.stderr
    assert mtimes(small_network) == before and not (small_network / "output").exists()


def test_check_on_a_network_never_built_lists_every_target_and_writes_nothing(small_network, welfarectl):
    done = welfarectl("-C", small_network, "build", "--check")
    assert done.exit_code == 1
    assert done.stdout.splitlines() == ["cards: stale: not built yet", "booklet: stale: not built yet",
                                        "report: stale: not built yet", "verifier: stale: not built yet",
                                        "stale: cards, booklet, report, verifier; `welfarectl build` rebuilds them"]
    assert not (small_network / "output").exists() and not (small_network / "catalogue/keys").exists()


def test_quiet_prints_only_problems(small_network, welfarectl, fixed_key_file):
    done = welfarectl("-C", small_network, "build", "report", "verifier", "--quiet", "--key-file", fixed_key_file)
    assert done.exit_code == 0, done.output
    assert all("warning[" in line or line.endswith("warnings") for line in done.stdout.splitlines())
    assert (small_network / "output/report/report.pdf").is_file()
    assert welfarectl("-C", small_network, "build", "report", "verifier", "-q", "--key-file", fixed_key_file).stdout == ""


def test_people_held_back_get_no_card_and_the_report_waits(small_network, welfarectl, fixed_key_file):
    company = SMALL_COMPANIES[0]
    write_workbook(small_network / "members" / f"{company}.xlsx",
                   [["Cognome", "Nome", "Codice fiscale", "Data assunzione"],
                    ["Rossi", "Anna", ROSSI, date(2010, 1, 1)], ["Neri", "Nino", "NRENNI80A01F257X", date(2012, 1, 1)]])
    done = welfarectl("-C", small_network, "build", "cards", "report", "--key-file", fixed_key_file)
    assert done.exit_code == HELD_BACK, done.output
    assert f"members/{company}.xlsx:Dipendenti!C3: error[invalid-codice-fiscale]" in done.stdout
    assert "report not built" in done.stderr and not (small_network / "output/report").exists()
    assert "Anna Rossi" in (small_network / "output/cards/cards-a4-new.csv").read_text(encoding="utf-8-sig")
    assert sorted(manifest(small_network)["targets"]) == ["cards"]


def test_an_unknown_target_is_a_usage_error(small_network, welfarectl):
    done = welfarectl("-C", small_network, "build", "bookelt")
    assert done.exit_code == 2 and "unknown build target 'bookelt'" in done.stderr


def test_build_speaks_italian(small_network, welfarectl):
    done = welfarectl("--lang", "it", "-C", small_network, "build", "--check")
    assert done.exit_code == 1 and "booklet: da ricostruire: mai costruito" in done.stdout


# --- the build's list of inputs is the loaders' ----------------------------------------------------------

def test_the_inputs_the_build_hashes_are_the_files_the_loaders_read(small_network):
    from welfarectl.booklet import prose
    from welfarectl.builder import inputs
    from welfarectl.cards import holders, keys, layout, ledger, registry
    from welfarectl.network import catalogue, survey

    assert inputs.NETWORK_FILE == catalogue.NETWORK_FILE and inputs.SERVICES_DIR == catalogue.SERVICES_DIR
    assert [file for file, *_ in catalogue.LIST_FILES.values()] == \
        [inputs.ORGANISATIONS_FILE, inputs.SERVICES_FILE, inputs.WORKSHOPS_FILE]
    assert inputs.SURVEY_FILE == survey.SURVEY_FILE and inputs.KEYS_DIR == keys.PUBLIC_KEY_DIR
    assert inputs.CARD_LAYOUTS == (layout.FRONT_FILE, layout.BACK_FILE)
    assert f"{prose.TEMPLATE_DIR}/it" == inputs.BOOKLET_TEMPLATES
    assert sorted(inputs.REGISTRY_FILES) == sorted([ledger.REGISTRY_FILE, registry.HEAD_FILE, holders.HOLDERS_FILE])
    cards = inputs.sources_of(small_network, ["cards"])["cards"]
    assert [path for path, _ in cards.inputs if path.startswith("members/")] == \
        [p.relative_to(small_network).as_posix() for p in list_workbooks(small_network)]


def test_a_large_print_run_is_built_in_batches_and_every_batch_is_in_the_manifest(home, key, tmp_path, monkeypatch):
    from welfarectl.cards import batches

    monkeypatch.setattr(batches, "DEFAULT_BATCH_CARDS", 10)  # a region's run, in miniature
    root = copy_small_network(tmp_path / "net")
    done = build(root, home, "cards", key=key)
    assert done.exit_code == 0, done.output
    out = root / "output" / "cards"
    pdfs = sorted(out.glob("cards-a4-new-0*.pdf"))
    assert len(pdfs) >= 2, done.output
    listed = {each["path"] for each in manifest(root)["targets"]["cards"]["outputs"]}
    for pdf in pdfs:
        assert {f"output/cards/{pdf.name}", f"output/cards/{pdf.stem}.csv", f"output/cards/{pdf.stem}.txt"} <= listed
    assert {"output/cards/cards-a4-new-index.csv", "output/cards/cards-a4-new-index.txt"} <= listed
    assert "up to date" in build(root, home, "cards", "--check", key=key).output
    pdfs[-1].unlink()  # a batch lost on the way to the print shop
    stale = build(root, home, "cards", "--check", key=key)
    assert stale.exit_code == 1 and pdfs[-1].name in stale.output
