"""Fetch the pinned front-end libraries from the npm registry into static/vendor/.

Versions and sha512 integrity come from package-lock.json, so set-up needs neither
Node.js nor a CDN at run time: the app serves every asset itself."""

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# package -> {path inside the package: path under static/vendor/}
FILES = {
    "bootstrap": {
        "dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
        "dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    },
    "htmx.org": {"dist/htmx.min.js": "htmx/htmx.min.js"},
    "echarts": {"dist/echarts.min.js": "echarts/echarts.min.js"},
    # Accessibility checks of the browser tests (tests/browser/test_accessibility.py); no page loads it.
    "axe-core": {"axe.min.js": "axe-core/axe.min.js"},
}


class Command(BaseCommand):
    help = "Download pinned front-end libraries (package-lock.json) into static/vendor/."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="download even if the files are present")

    def handle(self, *args, force=False, **opts):
        base = Path(settings.BASE_DIR)
        lock = json.loads((base / "package-lock.json").read_text())
        vendor = base / "static" / "vendor"
        registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
        cache_dir = Path(settings.VAR_DIR) / "npm-cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        for package, files in FILES.items():
            targets = {vendor / dst: src for src, dst in files.items()}
            entry = lock["packages"].get(f"node_modules/{package}")
            if not entry:
                raise CommandError(f"{package} is not in package-lock.json")
            stamp = vendor / package.split(".")[0] / ".version"
            if not force and stamp.exists() and stamp.read_text() == entry["version"] and all(t.exists() for t in targets):
                continue
            data = self._tarball(registry, package, entry, cache_dir)
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                for target, src in targets.items():
                    member = tar.getmember(f"package/{src}")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as fh, open(target, "wb") as out:
                        shutil.copyfileobj(fh, out)
            stamp.write_text(entry["version"])
            self.stdout.write(f"vendor: {package}@{entry['version']}")

    def _tarball(self, registry, package, entry, cache_dir) -> bytes:
        version = entry["version"]
        name = package.split("/")[-1]
        cached = cache_dir / f"{name}-{version}.tgz"
        algo, _, expected = entry["integrity"].partition("-")
        if cached.exists():
            data = cached.read_bytes()
        else:
            url = entry.get("resolved") or f"{registry}/{package}/-/{name}-{version}.tgz"
            with urllib.request.urlopen(url, timeout=60) as resp:
                data = resp.read()
        digest = base64.b64encode(hashlib.new(algo, data).digest()).decode()
        if digest != expected:
            raise CommandError(f"{package}@{version}: integrity mismatch")
        cached.write_bytes(data)
        return data
