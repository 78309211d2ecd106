"""Signing keys: the Ed25519 key that signs card QR codes and revocation lists.

Rules:
- A key id is the first 4 bytes of SHA-256 of the 32-byte raw public key, as 8 lowercase hex
  characters. It never changes for a given key.
- Public keys are published in the network as `catalogue/keys/<key-id>.pub` (PEM
  SubjectPublicKeyInfo). Every one of them verifies, so cards signed before a rotation stay valid.
- The network names the key it signs with: `catalogue/keys/current` holds its key id. So two
  copies of a network sign with the key their own catalogue names, and a rotation in one copy
  changes the other only when the other takes the new `current` (from version control).
- The private key (PEM PKCS8, unencrypted) never lives in the network directory. Its path is
  `--key-file`, else the environment variable `WELFARECTL_SIGNING_KEY`, else
  `<user config dir>/welfarectl/keys/<network-id>/<key-id>.key`, one file per key, so a rotation
  never changes a file another copy uses (`<network-id>.key` beside the folder, where earlier
  versions kept it, is still found). A key file given explicitly that does not exist is an error,
  never a new key. Keys are created with mode 0600 (never chmod-ed afterwards), in a directory
  created 0700, and never overwritten.
- A private key that group or others can read is refused, as ssh does (where files have POSIX
  permissions; on Windows the user profile's access rules protect it instead).

Bad public key files are data problems (returned); everything about the private key is an
operational failure and raises a `KeyProblem` subclass whose message names the path.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from welfarectl.base.errors import Refusal
from welfarectl.base.output import write_bytes_atomic
from welfarectl.base.problems import Location, Problem, os_reason, problem

ENV_VAR = "WELFARECTL_SIGNING_KEY"
PUBLIC_KEY_DIR = "catalogue/keys"
_NETWORK_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEY_ID = re.compile(r"^[0-9a-f]{8}$")


class KeyProblem(Refusal):
    """Something is wrong with a private key file; the message says what and names the path."""


class KeyExists(KeyProblem):
    """Creating a key would overwrite an existing file."""


class KeyMissing(KeyProblem):
    """No private key where one is needed, and creating one was not allowed."""


class KeyInsideNetwork(KeyProblem):
    """The private-key path is inside the network directory, where it could be committed."""


class KeyUnreadable(KeyProblem):
    """The private key file cannot be read, is not an Ed25519 PEM key, or is readable by others."""


class KeyNotCurrent(KeyProblem):
    """The private key given is not the one the network names as current."""


class KeyNotPublished(KeyProblem):
    """The private key's public half is not in catalogue/keys/: cards signed with it would not verify."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey
    path: Path

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey, path: Path) -> SigningKey:
        """The key with its id worked out from its public half."""
        return cls(key_id_of(private_key.public_key()), private_key, path)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of `data` (deterministic, RFC 8032)."""
        return self.private_key.sign(data)


# --- key ids and public keys -------------------------------------------------------------------

def key_id_of(public_key: Ed25519PublicKey) -> str:
    """First 4 bytes of SHA-256 of the raw 32-byte public key, as 8 lowercase hex characters."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:4].hex()


def is_key_id(text: str) -> bool:
    return bool(_KEY_ID.match(text))


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_file(network_dir: Path, key_id: str) -> Path:
    return Path(network_dir) / PUBLIC_KEY_DIR / f"{key_id}.pub"


def load_public_keys(network_dir: Path) -> tuple[dict[str, Ed25519PublicKey], list[Problem]]:
    """Every `catalogue/keys/*.pub` of the network, by key id.

    A file that cannot be read, is not an Ed25519 PEM public key, or whose name is not its key
    id is reported as `invalid-public-key` and left out. No key directory means no keys.
    """
    keys: dict[str, Ed25519PublicKey] = {}
    problems: list[Problem] = []
    directory = Path(network_dir) / PUBLIC_KEY_DIR
    if not directory.is_dir():
        return keys, problems
    for path in sorted(directory.glob("*.pub")):
        where = Location(f"{PUBLIC_KEY_DIR}/{path.name}")
        public_key, reason, reason_it = _read_public_key(path)
        if public_key is None:
            problems.append(problem("invalid-public-key", where, reason=reason, reason_it=reason_it))
            continue
        key_id = key_id_of(public_key)
        if path.stem != key_id:
            problems.append(problem(
                "invalid-public-key", where,
                reason=f"the file holds key id {key_id}; rename it to {key_id}.pub",
                reason_it=f"il file contiene la chiave {key_id}; rinominalo {key_id}.pub"))
            continue
        keys[key_id] = public_key
    return keys, problems


def _read_public_key(path: Path) -> tuple[Ed25519PublicKey | None, str, str]:
    """The key in `path`, or None with the reason in English and Italian."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot read the file: {error.strerror}", f"impossibile leggere il file: {os_reason(error)['reason_it']}"
    try:
        public_key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        return (None, "not a PEM public key (expected '-----BEGIN PUBLIC KEY-----')",
                "non è una chiave pubblica PEM (atteso '-----BEGIN PUBLIC KEY-----')")
    if not isinstance(public_key, Ed25519PublicKey):
        return None, "not an Ed25519 public key", "non è una chiave pubblica Ed25519"
    return public_key, "", ""


# --- where the private key lives ---------------------------------------------------------------

CURRENT_FILE = f"{PUBLIC_KEY_DIR}/current"


def current_key_id(network_dir: Path) -> str | None:
    """The key id the network signs with (catalogue/keys/current), or None when it names none."""
    try:
        text = (Path(network_dir) / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return text if is_key_id(text) else None


def _set_current(network_dir: Path, key: SigningKey) -> None:
    write_bytes_atomic(Path(network_dir) / CURRENT_FILE, f"{key.key_id}\n".encode("ascii"), mode=0o644)


def explicit_key_file(key_file: Path | str | None = None) -> Path | None:
    """`key_file` if given, else $WELFARECTL_SIGNING_KEY if set: a key the user chose."""
    if key_file:
        return Path(key_file).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    return Path(from_env).expanduser() if from_env else None


def default_key_dir(network_id: str) -> Path:
    """Where this user's private keys of the network live: one file per key id."""
    if not _NETWORK_ID.match(network_id):
        raise ValueError(f"not a network id: {network_id!r}")
    import platformdirs  # imported here: only key commands need it

    return platformdirs.user_config_path("welfarectl") / "keys" / network_id


def private_key_path(network_id: str, key_id: str, key_file: Path | str | None = None) -> Path:
    """The explicit key file if one is given, else the default file of key `key_id`."""
    return explicit_key_file(key_file) or default_key_dir(network_id) / f"{key_id}.key"


def _legacy_key_path(network_id: str) -> Path:
    """Where welfarectl 0.1 kept the one key of a network."""
    return default_key_dir(network_id).with_suffix(".key")


def retired_key_path(path: Path, key_id: str) -> Path:
    """Where rotating an explicit key file keeps the old key: beside it, `<stem>.<key-id>.retired.key`."""
    return path.with_name(f"{path.stem}.{key_id}.retired.key")


def refuse_inside_network(path: Path, network_dir: Path) -> None:
    """Raise KeyInsideNetwork when `path`, symlinks and `..` resolved, is in the network directory."""
    resolved = Path(path).expanduser().resolve()
    root = Path(network_dir).resolve()
    if resolved == root or resolved.is_relative_to(root):
        really = "" if resolved == Path(path).expanduser().absolute() else f" (is {resolved})"
        really_it = "" if not really else f" (cioè {resolved})"
        raise KeyInsideNetwork(
            f"refusing to keep a private key inside the network directory: {path}{really}; "
            f"the network is meant to be shared, the private key never. Choose a path outside {root}",
            f"una chiave privata non va tenuta nella cartella della rete: {path}{really_it}; la rete si "
            f"condivide, la chiave privata mai. Scegli un percorso fuori da {root}")


# --- creating, rotating and loading ------------------------------------------------------------

def create_key(network_dir: Path, network_id: str, key_file: Path | str | None = None) -> SigningKey:
    """Make the network's first key pair: the private key at `key_file` (or the default file of
    its key id), the public key published and named current in the network.

    Refuses (KeyExists) when the network already names a current key (`keys rotate` replaces
    it) or when the file exists. The public key is written first, so a failure never leaves a
    private key whose public half is unpublished; when writing the private key or naming it
    current fails, both new files are removed again, so that the network is left as it was
    rather than publishing a key nobody holds (which every later command would refuse).
    """
    current = current_key_id(network_dir)
    if current is not None:
        raise KeyExists(f"the network already signs with key {current} ({CURRENT_FILE}); "
                        "`welfarectl keys rotate` replaces it",
                        f"la rete firma già con la chiave {current} ({CURRENT_FILE}); "
                        "per sostituirla usa `welfarectl keys rotate`")
    explicit = explicit_key_file(key_file)
    if explicit is not None:
        refuse_inside_network(explicit, network_dir)
        if explicit.exists() or explicit.is_symlink():
            raise KeyExists(f"a private key already exists at {explicit}; refusing to overwrite it",
                            f"esiste già una chiave privata in {explicit}; non viene sovrascritta")
    private_key = Ed25519PrivateKey.generate()
    key = SigningKey.of(private_key, explicit or private_key_path(network_id, key_id_of(private_key.public_key())))
    refuse_inside_network(key.path, network_dir)
    published = _publish(network_dir, key)
    written = False
    try:
        _write_private_key(key.path, private_key, replace=False)
        written = True
        _set_current(network_dir, key)
    except BaseException:
        if written:
            key.path.unlink(missing_ok=True)
        published.unlink(missing_ok=True)
        raise
    return key


def rotate_key(network_dir: Path, network_id: str,
               key_file: Path | str | None = None) -> tuple[SigningKey, SigningKey]:
    """Replace the network's current key with a new one: returns (old, new).

    The new public key is published and named current; the old `.pub` stays in
    catalogue/keys/, so cards it signed still verify. With the default files the new key gets a
    file of its own and the old file stays as it is (another copy of the network may still sign
    with it until it takes the new `current`). An explicit key file is replaced by the new key,
    the old one hard-linked beside it as `<stem>.<old-key-id>.retired.key` (never overwriting
    another file).
    """
    old, _ = load_signing_key(network_dir, network_id, key_file, create=False)
    private_key = Ed25519PrivateKey.generate()
    explicit = explicit_key_file(key_file)
    if explicit is None:
        key = SigningKey.of(private_key, private_key_path(network_id, key_id_of(private_key.public_key())))
        _publish(network_dir, key)
        _write_private_key(key.path, private_key, replace=False)
        _set_current(network_dir, key)
        return old, key
    retired = retired_key_path(old.path, old.key_id)
    key = SigningKey.of(private_key, old.path)
    _publish(network_dir, key)
    try:
        os.link(old.path, retired)
    except FileExistsError:
        # A rotation interrupted after this step left the same key there: carry on.
        if retired.read_bytes() != old.path.read_bytes():
            raise KeyExists(f"{retired} already exists and holds another key; refusing to overwrite it",
                            f"{retired} esiste già e contiene un'altra chiave; non viene sovrascritto") from None
    _write_private_key(old.path, private_key, replace=True)
    _set_current(network_dir, key)
    return SigningKey(old.key_id, old.private_key, retired), key


def load_signing_key(network_dir: Path, network_id: str, key_file: Path | str | None = None,
                     create: bool = True) -> tuple[SigningKey, bool]:
    """The key the network signs with, and whether it was just created.

    - A key given explicitly (`key_file`, $WELFARECTL_SIGNING_KEY) must exist (KeyMissing
      otherwise, never a new key) and must be the network's current key when it names one.
    - Otherwise the current key's default file; a network that names no current key yet uses the
      one key it publishes, or the key welfarectl 0.1 kept, and from then on names it current.
    - A network with no key at all gets one when `create` (the caller says so once, like
      ssh-keygen), else KeyMissing.
    The key's public half must be in catalogue/keys/: it is published when the network publishes
    no key at all (a fresh clone), and refused with KeyNotPublished otherwise.
    """
    current = current_key_id(network_dir)
    published = sorted(path.stem for path in (Path(network_dir) / PUBLIC_KEY_DIR).glob("*.pub"))
    explicit = explicit_key_file(key_file)
    if explicit is not None:
        refuse_inside_network(explicit, network_dir)
        if not explicit.exists():
            how = "--key-file" if key_file else f"${ENV_VAR}"
            raise KeyMissing(f"no signing key at {explicit}, given with {how}; a key given explicitly is never "
                             f"created by signing: create it with `welfarectl keys init --key-file {explicit}`",
                             f"nessuna chiave di firma in {explicit}, indicata con {how}; una chiave indicata "
                             f"esplicitamente non viene mai creata firmando: creala con "
                             f"`welfarectl keys init --key-file {explicit}`")
        path = explicit
    else:
        wanted = current or (published[0] if len(published) == 1 else None)
        legacy = _legacy_key_path(network_id)
        if wanted is not None:
            path = private_key_path(network_id, wanted)
            if not path.exists() and legacy.exists() and _key_id_in(legacy, network_dir) == wanted:
                path = legacy
            if not path.exists():
                named = f"key {wanted} ({CURRENT_FILE})" if current else f"its one published key {wanted}"
                named_it = f"la chiave {wanted} ({CURRENT_FILE})" if current else f"l'unica chiave che pubblica, {wanted}"
                raise KeyMissing(f"the network signs with {named}, but there is no private key for it at {path}: "
                                 "copy the key there from the machine that made it, or give it with --key-file",
                                 f"la rete firma con {named_it}, ma la sua chiave privata non c'è in {path}: "
                                 "copiala lì dal computer che l'ha creata, o indicala con --key-file")
        elif legacy.exists():
            path = legacy
        elif published:
            raise KeyMissing(f"the network publishes keys {', '.join(published)} but names none as current "
                             f"({CURRENT_FILE}); give the private key with --key-file",
                             f"la rete pubblica le chiavi {', '.join(published)} ma nessuna è indicata come "
                             f"quella in uso ({CURRENT_FILE}); indica la chiave privata con --key-file")
        elif create:
            try:
                return create_key(network_dir, network_id), True
            except KeyExists:  # another process created one a moment ago: use theirs
                return load_signing_key(network_dir, network_id, create=False)
        else:
            raise KeyMissing(f"the network has no signing key yet; run `welfarectl keys init` or drop --no-new-key "
                             f"(it would be created in {default_key_dir(network_id)})",
                             f"la rete non ha ancora una chiave di firma; esegui `welfarectl keys init` o togli "
                             f"--no-new-key (verrebbe creata in {default_key_dir(network_id)})")
    key = _load_private_key(path, network_dir)
    if current is not None and key.key_id != current:
        raise KeyNotCurrent(f"the signing key {path} is key {key.key_id}, but the network signs with key {current} "
                            f"({CURRENT_FILE}); give the current key, or rotate with `welfarectl keys rotate`",
                            f"la chiave di firma {path} è la chiave {key.key_id}, ma la rete firma con la chiave "
                            f"{current} ({CURRENT_FILE}); indica la chiave in uso, o cambiala con `welfarectl keys rotate`")
    if not public_key_file(network_dir, key.key_id).is_file():
        if published:
            raise KeyNotPublished(
                f"the signing key {path} (key id {key.key_id}) has no public key "
                f"{PUBLIC_KEY_DIR}/{key.key_id}.pub in the network; cards signed with it would not verify. "
                f"Restore the file from version control, or check that this is the network's key",
                f"la chiave di firma {path} (identificativo {key.key_id}) non ha la chiave pubblica "
                f"{PUBLIC_KEY_DIR}/{key.key_id}.pub nella rete; le tessere firmate con essa non sarebbero "
                f"verificabili. Ripristina il file dal controllo di versione, o controlla che sia la chiave della rete")
        _publish(network_dir, key)  # a fresh clone of a network that publishes no key yet
    if current is None:
        _set_current(network_dir, key)
    return key, False


def _key_id_in(path: Path, network_dir: Path) -> str | None:
    try:
        return _load_private_key(path, network_dir).key_id
    except KeyProblem:
        return None


def _load_private_key(path: Path, network_dir: Path) -> SigningKey:
    """Read a private key file, refusing one inside the network or readable by group/others."""
    refuse_inside_network(path, network_dir)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise KeyMissing(f"no signing key at {path}; run `welfarectl keys init`",
                         f"nessuna chiave di firma in {path}; esegui `welfarectl keys init`") from None
    except OSError as error:
        reason = os_reason(error)
        raise KeyUnreadable(f"cannot read the signing key {path}: {reason['reason']}",
                            f"impossibile leggere la chiave di firma {path}: {reason['reason_it']}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise KeyUnreadable(f"the signing key {path} is not a regular file",
                            f"la chiave di firma {path} non è un file normale")
    with os.fdopen(fd, "rb") as handle:
        if os.name == "posix" and mode & 0o077:
            raise KeyUnreadable(f"permissions too open ({mode & 0o777:04o}) on the signing key {path}: "
                                f"chmod 600 {path}",
                                f"permessi troppo aperti ({mode & 0o777:04o}) sulla chiave di firma {path}: "
                                f"chmod 600 {path}")
        data = handle.read()
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyUnreadable(f"{path} is not an unencrypted PEM private key",
                            f"{path} non è una chiave privata PEM non cifrata") from None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise KeyUnreadable(f"{path} is not an Ed25519 private key", f"{path} non è una chiave privata Ed25519")
    return SigningKey.of(private_key, path)


def _publish(network_dir: Path, key: SigningKey) -> Path:
    """Write catalogue/keys/<key-id>.pub, readable by all (0644 less the umask): it is published."""
    path = public_key_file(network_dir, key.key_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, public_key_pem(key.public_key), mode=0o644)
    return path


def _write_private_key(path: Path, private_key: Ed25519PrivateKey, *, replace: bool) -> None:
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    _make_private_dirs(path.parent)
    try:  # created 0600: a private key is never readable by others, not even briefly
        write_bytes_atomic(path, pem, mode=0o600, overwrite=replace)
    except FileExistsError:
        raise KeyExists(f"a private key already exists at {path}; refusing to overwrite it",
                        f"esiste già una chiave privata in {path}; non viene sovrascritta") from None


def _make_private_dirs(directory: Path) -> None:
    """Create missing directories 0700; existing ones (say /tmp) are left as they are."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for each in reversed(missing):
        each.mkdir(mode=0o700, exist_ok=True)
