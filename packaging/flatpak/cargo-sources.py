#!/usr/bin/env python3
"""Turn Cargo.lock into flatpak-builder sources for an offline cargo build.

The Flatpak build has no network, so every crate Poplar depends on has to be
listed as a source that flatpak-builder downloads beforehand. This script reads
Cargo.lock and writes cargo-sources.json with, for each crates.io package:

  * the .crate archive from static.crates.io, checked against the lock's sha256
    and unpacked into cargo/vendor/NAME-VERSION;
  * the .cargo-checksum.json that cargo expects in a vendored crate. Its
    "package" entry is the same checksum; "files" is left empty, so cargo skips
    the per-file check (flatpak-builder has already checked the archive);

and once, a .cargo/config.toml that makes cargo take crates.io packages from
that vendor directory instead of the network.

Re-run it whenever Cargo.lock changes:

    python3 packaging/flatpak/cargo-sources.py

Only the Python 3.11+ standard library is used (tomllib).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
CRATE_URL = "https://static.crates.io/crates/{name}/{name}-{version}.crate"
VENDOR_DIR = "cargo/vendor"

# Read by cargo as project configuration: relative paths in it are taken
# relative to the folder that holds .cargo/, i.e. the module's build folder.
CARGO_CONFIG = f"""\
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "{VENDOR_DIR}"
"""


def crate_sources(package: dict) -> list[dict]:
    """The two flatpak-builder sources that vendor one crates.io package."""
    name = package["name"]
    version = package["version"]
    checksum = package.get("checksum")
    if not checksum:
        raise SystemExit(f"{name} {version}: Cargo.lock has no checksum for it")
    dest = f"{VENDOR_DIR}/{name}-{version}"
    return [
        {
            "type": "archive",
            "archive-type": "tar-gzip",
            "url": CRATE_URL.format(name=name, version=version),
            "sha256": checksum,
            "dest": dest,
        },
        {
            "type": "inline",
            "contents": json.dumps({"package": checksum, "files": {}}),
            "dest": dest,
            "dest-filename": ".cargo-checksum.json",
        },
    ]


def sources_from_lock(lock: dict) -> list[dict]:
    sources: list[dict] = []
    unsupported: list[str] = []
    for package in lock.get("package", []):
        source = package.get("source")
        if source is None:
            continue  # a path package: Poplar itself, built from the checkout
        if source == CRATES_IO:
            sources.extend(crate_sources(package))
        else:
            unsupported.append(f"{package['name']} {package['version']} ({source})")
    if unsupported:
        raise SystemExit(
            "only crates.io packages can be vendored by this script; Cargo.lock also has:\n  "
            + "\n  ".join(unsupported)
        )
    sources.append(
        {
            "type": "inline",
            "contents": CARGO_CONFIG,
            "dest": ".cargo",
            "dest-filename": "config.toml",
        }
    )
    return sources


def main() -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "lockfile",
        nargs="?",
        type=Path,
        default=here.parent.parent / "Cargo.lock",
        help="the Cargo.lock to read (default: the repository's)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=here / "cargo-sources.json",
        help="where to write the sources (default: cargo-sources.json beside this script)",
    )
    args = parser.parse_args()

    with args.lockfile.open("rb") as f:
        lock = tomllib.load(f)
    sources = sources_from_lock(lock)

    text = json.dumps(sources, indent=4) + "\n"
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    crates = (len(sources) - 1) // 2
    print(f"{args.output}: {crates} crates from {args.lockfile}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
