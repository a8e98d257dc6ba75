"""Refresh the browser assets cbec serves from its own package (no CDN at run time), and the
ones its tests inject into pages (axe-core, ``tests/vendor/vendor.json``: never served).

``cbec/static/vendor.json`` lists each vendored npm package — name, version, licence and the
files taken from it with their SHA-256. ``make vendor`` runs this script: it downloads each
package with ``npm pack`` from the npm registry, copies the listed files into
``cbec/static/vendor/<key>/`` and rewrites the checksums. Change a version in the manifest and
run it again to upgrade; ``tests/contract/test_contract.py`` checks the shipped files against the
manifest, so a file changed by hand is caught.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# each manifest with the folder its packages go to (<folder>/vendor/<key>/)
MANIFESTS = [ROOT / "cbec" / "static" / "vendor.json", ROOT / "tests" / "vendor" / "vendor.json"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh(manifest: dict, home: Path) -> dict:
    for key, entry in manifest["packages"].items():
        spec = f"{entry['npm']}@{entry['version']}"
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                ["npm", "pack", spec, "--silent"],
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            )
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                tar.extractall(tmp, filter="data")
            dest = home / "vendor" / key
            if dest.exists():
                shutil.rmtree(dest)
            dest.mkdir(parents=True)
            files = {}
            for name in entry["files"]:
                src = Path(tmp) / "package" / name
                target = dest / Path(name).name
                shutil.copyfile(src, target)
                files[name] = sha256(target)
            entry["files"] = files
        print(f"{key}: {spec}, {len(files)} files")
    return manifest


def main() -> int:
    for path in MANIFESTS:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        fresh = refresh(manifest, path.parent)
        path.write_text(json.dumps(fresh, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
