"""Install doccano and Label Studio from PyPI into git-ignored virtualenvs under var/peers/.

    .venv/bin/python bench/peers/install.py [--only doccano|label-studio] [--freeze]

Each peer gets its own virtualenv (their pins conflict with ours and with each other),
installed from bench/peers/requirements/<peer>.txt under the fully pinned
<peer>-constraints.txt; a stamp skips the install while both files are unchanged.
`--freeze` rewrites the constraints from what is installed (after changing a version).
PEERS_PYTHON names the interpreter (default python3.11: both peers support it).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys

from paths import HERE, VENVS

REQUIREMENTS = HERE / "requirements"


def files(peer: str) -> tuple:
    return REQUIREMENTS / f"{peer}.txt", REQUIREMENTS / f"{peer}-constraints.txt"


def stamp(peer: str) -> str:
    digest = hashlib.sha1()
    for path in files(peer):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def install(peer: str) -> None:
    venv = VENVS[peer]
    marker = venv / ".installed"
    if marker.exists() and marker.read_text() == stamp(peer):
        print(f"{peer}: installed ({venv})")
        return
    python = os.environ.get("PEERS_PYTHON") or shutil.which("python3.11")
    if not python:
        sys.exit("python3.11 not found: set PEERS_PYTHON to a Python 3.11 interpreter")
    print(f"{peer}: installing into {venv} (a few minutes the first time)", flush=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
    requirements, constraints = files(peer)
    subprocess.run([*pip, "--upgrade", "pip==26.3"], check=True)
    subprocess.run([*pip, "-r", str(requirements), "-c", str(constraints)], check=True)
    marker.write_text(stamp(peer))


def freeze(peer: str) -> None:
    _, constraints = files(peer)
    header = [line for line in constraints.read_text().splitlines() if line.startswith("#")]
    frozen = subprocess.run(
        [str(VENVS[peer] / "bin" / "pip"), "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    constraints.write_text("\n".join(header) + "\n" + frozen)
    print(f"{peer}: wrote {constraints}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(VENVS))
    parser.add_argument("--freeze", action="store_true")
    args = parser.parse_args()
    for peer in [args.only] if args.only else sorted(VENVS):
        freeze(peer) if args.freeze else install(peer)


if __name__ == "__main__":
    main()
