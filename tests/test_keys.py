"""Signing keys: where the private key lives and how it is protected, published public keys, rotation."""

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from welfarectl.cards import keys
from welfarectl.cards.keys import (
    KeyExists,
    KeyInsideNetwork,
    KeyMissing,
    KeyNotPublished,
    KeyUnreadable,
    create_key,
    load_public_keys,
    load_signing_key,
    private_key_path,
    public_key_pem,
    rotate_key,
)

NETWORK = "welfare-modena"


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch) -> Path:
    """Never touch the real user configuration: HOME and XDG_CONFIG_HOME point into tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv(keys.ENV_VAR, raising=False)
    return home / ".config"


@pytest.fixture
def net(tmp_path: Path) -> Path:
    (tmp_path / "net" / "catalogue").mkdir(parents=True)
    return tmp_path / "net"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_default_path_is_in_the_user_config_dir_one_file_per_key(config_home):
    assert private_key_path(NETWORK, "0a1b2c3d") == config_home / "welfarectl" / "keys" / NETWORK / "0a1b2c3d.key"


def test_key_file_wins_over_the_environment_which_wins_over_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv(keys.ENV_VAR, str(tmp_path / "from-env.key"))
    assert private_key_path(NETWORK, "0a1b2c3d") == tmp_path / "from-env.key"
    assert private_key_path(NETWORK, "0a1b2c3d", tmp_path / "flag.key") == tmp_path / "flag.key"


def test_a_network_id_that_could_escape_the_keys_dir_is_a_bug():
    with pytest.raises(ValueError):
        private_key_path("../evil", "0a1b2c3d")


def test_key_id_is_the_first_four_bytes_of_sha256_of_the_raw_public_key():
    public = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
    assert keys.key_id_of(public) == "56475aa7"


def test_create_key_writes_a_0600_private_key_in_a_0700_dir_and_publishes_the_public_key(net, config_home):
    key = create_key(net, NETWORK)
    assert key.path == config_home / "welfarectl" / "keys" / NETWORK / f"{key.key_id}.key"
    assert (net / "catalogue" / "keys" / "current").read_text(encoding="utf-8") == f"{key.key_id}\n"
    assert mode(key.path) == 0o600
    assert mode(key.path.parent) == 0o700 and mode(key.path.parent.parent) == 0o700
    assert key.path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert not list(key.path.parent.glob(".*.tmp"))
    pub = net / "catalogue" / "keys" / f"{key.key_id}.pub"
    assert pub.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert mode(pub) == 0o644 & ~current_umask()
    public_keys, problems = load_public_keys(net)
    assert problems == [] and list(public_keys) == [key.key_id]


def test_the_private_key_is_never_readable_by_others_even_with_a_permissive_umask(net, tmp_path):
    old = os.umask(0)
    try:
        key = create_key(net, NETWORK, tmp_path / "fresh" / "dir" / "k.key")
    finally:
        os.umask(old)
    assert mode(key.path) == 0o600 and mode(key.path.parent) == 0o700


def test_an_existing_directory_is_not_chmod_ed(net, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    create_key(net, NETWORK, shared / "k.key")
    assert mode(shared) == 0o755


def test_create_key_refuses_to_overwrite(net, tmp_path):
    path = tmp_path / "k.key"
    path.write_bytes(b"something precious")
    with pytest.raises(KeyExists, match=str(path)):
        create_key(net, NETWORK, path)
    assert path.read_bytes() == b"something precious"


@pytest.mark.parametrize("inside", ["net/k.key", "net/output/k.key", "elsewhere/../net/catalogue/k.key"])
def test_a_private_key_path_inside_the_network_is_refused(net, tmp_path, inside):
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(KeyInsideNetwork, match="inside the network"):
        create_key(net, NETWORK, tmp_path / inside)
    assert not (net / "catalogue" / "keys").exists()


def test_a_symlink_into_the_network_is_refused(net, tmp_path):
    (tmp_path / "link").symlink_to(net)
    with pytest.raises(KeyInsideNetwork):
        create_key(net, NETWORK, tmp_path / "link" / "k.key")
    with pytest.raises(KeyInsideNetwork):
        load_signing_key(net, NETWORK, tmp_path / "link" / "k.key")


def test_a_network_reached_through_a_symlink_is_still_recognised(net, tmp_path):
    (tmp_path / "alias").symlink_to(net)
    with pytest.raises(KeyInsideNetwork):
        create_key(tmp_path / "alias", NETWORK, net / "k.key")


def test_the_environment_variable_is_also_checked(net, monkeypatch):
    monkeypatch.setenv(keys.ENV_VAR, str(net / "secret.key"))
    with pytest.raises(KeyInsideNetwork):
        load_signing_key(net, NETWORK)


def test_load_signing_key_creates_once_then_loads_the_same_key(net):
    first, created = load_signing_key(net, NETWORK)
    again, created_again = load_signing_key(net, NETWORK)
    assert created and not created_again
    assert again.key_id == first.key_id and again.path == first.path
    assert again.sign(b"x") == first.sign(b"x")


def test_a_key_file_given_that_does_not_exist_is_an_error_never_a_new_key(net, tmp_path, monkeypatch):
    for create in (False, True):
        with pytest.raises(KeyMissing, match=str(tmp_path / "none.key")):
            load_signing_key(net, NETWORK, tmp_path / "none.key", create=create)
    monkeypatch.setenv(keys.ENV_VAR, str(tmp_path / "env.key"))
    with pytest.raises(KeyMissing, match="WELFARECTL_SIGNING_KEY"):
        load_signing_key(net, NETWORK)
    assert not (tmp_path / "none.key").exists() and not (tmp_path / "env.key").exists()
    assert not (net / "catalogue" / "keys").exists()


def test_no_new_key_raises_key_missing(net):
    with pytest.raises(KeyMissing, match="keys init"):
        load_signing_key(net, NETWORK, create=False)


def test_a_key_readable_by_others_is_refused_like_ssh_does(net, tmp_path):
    key = create_key(net, NETWORK, tmp_path / "k.key")
    os.chmod(key.path, 0o644)
    with pytest.raises(KeyUnreadable, match=rf"permissions too open \(0644\).*chmod 600 {key.path}"):
        load_signing_key(net, NETWORK, key.path)


@pytest.mark.parametrize("content", [b"", b"not a key", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"])
def test_a_file_that_is_not_a_pem_private_key_is_unreadable(net, tmp_path, content):
    path = tmp_path / "k.key"
    path.write_bytes(content)
    os.chmod(path, 0o600)
    with pytest.raises(KeyUnreadable, match=str(path)):
        load_signing_key(net, NETWORK, path)


def test_a_directory_in_place_of_the_key_is_unreadable(net, tmp_path):
    (tmp_path / "k.key").mkdir()
    with pytest.raises(KeyUnreadable, match="not a regular file"):
        load_signing_key(net, NETWORK, tmp_path / "k.key")


def test_a_key_that_is_not_ed25519_is_unreadable(net, tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "k.key"
    path.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.chmod(path, 0o600)
    with pytest.raises(KeyUnreadable, match="not an Ed25519"):
        load_signing_key(net, NETWORK, path)


def test_a_key_whose_public_half_is_not_among_the_networks_keys_is_refused(net, tmp_path):
    key = create_key(net, NETWORK, tmp_path / "k.key")
    other = Ed25519PrivateKey.generate()
    (net / "catalogue" / "keys" / f"{keys.key_id_of(other.public_key())}.pub").write_bytes(
        public_key_pem(other.public_key()))
    (net / "catalogue" / "keys" / f"{key.key_id}.pub").unlink()
    with pytest.raises(KeyNotPublished, match=key.key_id):
        load_signing_key(net, NETWORK, key.path)
    assert [p.stem for p in (net / "catalogue" / "keys").glob("*.pub")] == [keys.key_id_of(other.public_key())]


def test_a_key_that_is_not_the_networks_current_one_is_refused(net, tmp_path):
    old = create_key(net, NETWORK, tmp_path / "k.key")
    os.link(old.path, tmp_path / "copy.key")
    _, new = rotate_key(net, NETWORK, tmp_path / "k.key")
    with pytest.raises(keys.KeyNotCurrent, match=f"signs with key {new.key_id}"):
        load_signing_key(net, NETWORK, tmp_path / "copy.key")


def test_two_copies_of_a_network_each_sign_with_the_key_their_catalogue_names(tmp_path):
    import shutil

    one = tmp_path / "one"
    (one / "catalogue").mkdir(parents=True)
    first, created = load_signing_key(one, NETWORK)
    assert created
    two = tmp_path / "two"
    shutil.copytree(one, two)  # a clone
    _, rotated = rotate_key(one, NETWORK)
    assert load_signing_key(one, NETWORK)[0].key_id == rotated.key_id
    assert load_signing_key(two, NETWORK)[0].key_id == first.key_id  # untouched until it takes the rotation
    assert first.path.exists() and rotated.path != first.path
    shutil.copy(one / "catalogue" / "keys" / "current", two / "catalogue" / "keys" / "current")
    shutil.copy(one / "catalogue" / "keys" / f"{rotated.key_id}.pub", two / "catalogue" / "keys")
    assert load_signing_key(two, NETWORK)[0].key_id == rotated.key_id


def test_a_clone_whose_current_key_is_not_on_this_machine_says_where_it_looked(net, tmp_path, config_home):
    key = create_key(net, NETWORK, tmp_path / "elsewhere.key")
    with pytest.raises(KeyMissing) as missing:
        load_signing_key(net, NETWORK)
    assert key.key_id in str(missing.value) and str(config_home / "welfarectl" / "keys" / NETWORK) in str(missing.value)
    assert not (config_home / "welfarectl" / "keys" / NETWORK).exists()  # never a new key in its place


def test_the_key_kept_by_welfarectl_0_1_is_still_found_and_named_current(net, config_home):
    legacy = config_home / "welfarectl" / "keys" / f"{NETWORK}.key"
    legacy.parent.mkdir(parents=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    legacy.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    legacy.chmod(0o600)
    key, created = load_signing_key(net, NETWORK)
    assert not created and key.path == legacy and key.key_id == keys.key_id_of(private.public_key())
    assert keys.current_key_id(net) == key.key_id


def test_a_fresh_clone_without_public_keys_gets_the_key_published(net, tmp_path):
    key = create_key(net, NETWORK, tmp_path / "k.key")
    published = net / "catalogue" / "keys" / f"{key.key_id}.pub"
    published.unlink()
    again, created = load_signing_key(net, NETWORK, key.path)
    assert again.key_id == key.key_id and not created
    assert published.read_bytes() == public_key_pem(key.public_key)


def test_rotation_keeps_the_old_key_beside_and_both_public_keys(net, tmp_path):
    old = create_key(net, NETWORK, tmp_path / "k.key")
    was, new = rotate_key(net, NETWORK, tmp_path / "k.key")
    assert new.key_id != old.key_id and new.path == old.path
    retired = tmp_path / f"k.{old.key_id}.retired.key"
    assert (was.key_id, was.path) == (old.key_id, retired)
    assert retired.read_bytes() != new.path.read_bytes()
    assert mode(retired) == 0o600 and mode(new.path) == 0o600
    current, created = load_signing_key(net, NETWORK, tmp_path / "k.key", create=False)
    assert current.key_id == new.key_id and not created
    public_keys, problems = load_public_keys(net)
    assert problems == [] and sorted(public_keys) == sorted([old.key_id, new.key_id])
    retired_key = serialization.load_pem_private_key(retired.read_bytes(), password=None)
    assert keys.key_id_of(retired_key.public_key()) == old.key_id


def test_a_rotation_interrupted_after_keeping_the_old_key_can_be_run_again(net, tmp_path):
    old = create_key(net, NETWORK, tmp_path / "k.key")
    os.link(old.path, tmp_path / f"k.{old.key_id}.retired.key")
    was, new = rotate_key(net, NETWORK, tmp_path / "k.key")
    assert was.key_id == old.key_id and new.key_id != old.key_id


def test_rotation_without_a_key_raises_key_missing(net, tmp_path):
    with pytest.raises(KeyMissing):
        rotate_key(net, NETWORK, tmp_path / "none.key")


def test_rotation_never_overwrites_a_different_retired_key(net, tmp_path):
    old = create_key(net, NETWORK, tmp_path / "k.key")
    retired = tmp_path / f"k.{old.key_id}.retired.key"
    retired.write_bytes(b"another key")
    with pytest.raises(KeyExists, match=str(retired)):
        rotate_key(net, NETWORK, tmp_path / "k.key")
    assert retired.read_bytes() == b"another key"
    assert load_signing_key(net, NETWORK, tmp_path / "k.key")[0].key_id == old.key_id


def write_pub(net: Path, name: str, data: bytes) -> None:
    (net / "catalogue" / "keys").mkdir(parents=True, exist_ok=True)
    (net / "catalogue" / "keys" / name).write_bytes(data)


def test_bad_public_key_files_are_problems_with_their_location(net):
    good = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
    pem = keys.public_key_pem(good)
    write_pub(net, "56475aa7.pub", pem)
    write_pub(net, "00000000.pub", pem)
    write_pub(net, "garbage.pub", b"hello")
    write_pub(net, "notes.txt", b"ignored: not a .pub")
    public_keys, problems = load_public_keys(net)
    assert list(public_keys) == ["56475aa7"]
    found = {str(p.location): p for p in problems}
    assert set(found) == {"catalogue/keys/00000000.pub", "catalogue/keys/garbage.pub"}
    assert all(p.code == "invalid-public-key" for p in problems)
    assert found["catalogue/keys/00000000.pub"].message() == "the file holds key id 56475aa7; rename it to 56475aa7.pub"
    assert "PEM" in found["catalogue/keys/garbage.pub"].message()
    assert "PEM" in found["catalogue/keys/garbage.pub"].message("it")


def test_a_public_key_of_another_algorithm_is_a_problem(net):
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    write_pub(net, "12345678.pub", other.public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    public_keys, problems = load_public_keys(net)
    assert public_keys == {} and [p.message() for p in problems] == ["not an Ed25519 public key"]


def test_a_network_without_keys_has_no_keys_and_no_problems(net):
    assert load_public_keys(net) == ({}, [])
