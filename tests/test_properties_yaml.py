"""The YAML sources (catalogue and card layouts) and the booklet's templates, mutated at random:
`validate` reports problems and exits cleanly, whatever the bytes, and never shows a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fuzzing import mutated_bytes, run_clean, texts, values
from hypothesis import given
from hypothesis import strategies as st
from networks import copy_small_network

YAML_FILES = ("catalogue/network.yaml", "catalogue/organisations.yaml", "catalogue/services.yaml",
              "catalogue/workshops.yaml", "templates/card-front.yaml", "templates/card-back.yaml")


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """One small network for the module: each example writes its mutated file and puts the
    original back after."""
    return copy_small_network(tmp_path_factory.mktemp("fuzz-yaml") / "net")


def validate_with(root: Path, name: str, data: bytes):
    path = root / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        return run_clean("-C", root, "validate", home=root.parent)
    finally:
        path.write_bytes(original)


def paths_in(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every key path of a parsed YAML document, containers included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_in(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths_in(inner, (*prefix, index))
    return found


def replaced(document: object, path: tuple, value: object) -> object:
    if not path:
        return value
    *parents, last = path
    holder = document
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return document


@pytest.mark.parametrize("name", YAML_FILES)
@given(data=st.data())
def test_a_yaml_file_with_flipped_inserted_or_cut_bytes_gives_problems_not_a_traceback(network, name, data):
    original = (network / name).read_bytes()
    validate_with(network, name, data.draw(mutated_bytes(original)))


@pytest.mark.parametrize("name", YAML_FILES)
@given(data=st.data())
def test_any_value_at_a_known_key_gives_problems_not_a_traceback(network, name, data):
    document = yaml.safe_load((network / name).read_bytes())
    path = data.draw(st.sampled_from(paths_in(document)))
    document = replaced(document, path, data.draw(values))
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    validate_with(network, name, text.encode("utf-8"))


@pytest.mark.parametrize("name", YAML_FILES[:3])
@given(data=st.data())
def test_a_renamed_key_gives_problems_not_a_traceback(network, name, data):
    document = yaml.safe_load((network / name).read_bytes())
    mappings = [path for path in paths_in(document) if isinstance(replaced_at(document, path), dict) and replaced_at(document, path)]
    path = data.draw(st.sampled_from(mappings))
    mapping = replaced_at(document, path)
    old = data.draw(st.sampled_from(sorted(mapping, key=str)))
    mapping[data.draw(texts)] = mapping.pop(old)
    validate_with(network, name, yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


def replaced_at(document: object, path: tuple) -> object:
    for key in path:
        document = document[key]
    return document


@given(data=st.data())
def test_a_mutated_booklet_template_gives_problems_not_a_traceback(network, data):
    name = data.draw(st.sampled_from(sorted(p.relative_to(network).as_posix()
                                            for p in (network / "templates" / "booklet").rglob("*.j2"))))
    validate_with(network, name, data.draw(mutated_bytes((network / name).read_bytes())))


@pytest.mark.parametrize("data", [b"", b"\x00", b"id: [", b"- a\n- b\n", b"id: !!python/object:os.system ls\n",
                                  b"a: &x [*x]\n", b"id: " + b"[" * 2000 + b"\n", b"\xef\xbb\xbfid: x\n", b"\xff\xfe",
                                  b"a: &a [" + b"*a," * 50 + b"]\n"])
def test_hostile_yaml_gives_problems_not_a_traceback(network, data):
    for name in YAML_FILES[:2]:
        validate_with(network, name, data)
