#!/usr/bin/env python3
"""Checks loom's packaging files without vcpkg or Conan installed.

- vcpkg.json and ports/loom/vcpkg.json parse, validate against vcpkg's JSON
  schema, and carry the version written in include/loom/version.hpp;
- conanfile.py and test_package/conanfile.py compile.

Usage: validate_packaging.py [SCHEMA_DIR]
SCHEMA_DIR holds vcpkg.schema.json and the schemas it refers to; it defaults to
$LOOM_VCPKG_SCHEMA_DIR, then to ../shared/vcpkg-schema beside the repository.
Exits 0 when all is well, 1 on a problem, 77 (CTest: skipped) when the schema
check cannot run because jsonschema or the schema files are missing.
"""
import json
import os
import py_compile
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ["vcpkg.json", "ports/loom/vcpkg.json"]
RECIPES = ["conanfile.py", "test_package/conanfile.py"]
SKIP = 77


def loom_version():
    text = (ROOT / "include/loom/version.hpp").read_text()
    return ".".join(re.search(rf"#define LOOM_VERSION_{part}\s+(\d+)", text).group(1)
                    for part in ("MAJOR", "MINOR", "PATCH"))


def check_without_schema(manifests, problems):
    version = loom_version()
    for name, doc in manifests.items():
        if doc.get("version") != version:
            problems.append(f"{name}: version is {doc.get('version')!r}, "
                            f"include/loom/version.hpp says {version!r}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in RECIPES:
            try:
                py_compile.compile(str(ROOT / name), cfile=os.path.join(tmp, "recipe.pyc"),
                                   doraise=True)
            except py_compile.PyCompileError as error:
                problems.append(f"{name}: {error.msg}")


def schema_validator(schema_dir):
    """A Draft 7 validator for vcpkg.schema.json, resolving its $refs offline."""
    import jsonschema
    schemas = [json.loads(p.read_text()) for p in sorted(schema_dir.glob("*.schema.json"))]
    main = next(s for s in schemas if s["$id"].endswith("/vcpkg.schema.json"))
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s, default_specification=DRAFT7)) for s in schemas)
        return jsonschema.Draft7Validator(main, registry=registry)
    except ImportError:  # older jsonschema, e.g. Debian bookworm's 4.10
        resolver = jsonschema.RefResolver.from_schema(main, store={s["$id"]: s for s in schemas})
        return jsonschema.Draft7Validator(main, resolver=resolver)


def main():
    problems = []
    manifests = {}
    for name in MANIFESTS:
        try:
            manifests[name] = json.loads((ROOT / name).read_text())
        except (OSError, ValueError) as error:
            problems.append(f"{name}: {error}")
    check_without_schema(manifests, problems)

    schema_dir = Path(sys.argv[1] if len(sys.argv) > 1 else
                      os.environ.get("LOOM_VCPKG_SCHEMA_DIR", ROOT.parent / "shared/vcpkg-schema"))
    skip_reason = None
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        skip_reason = "python module jsonschema is missing (Debian: apt-get install python3-jsonschema)"
    if skip_reason is None and not (schema_dir / "vcpkg.schema.json").is_file():
        skip_reason = f"no vcpkg schema at {schema_dir} (pass the directory as the first argument)"
    if skip_reason is None:
        validator = schema_validator(schema_dir)
        for name, doc in manifests.items():
            for error in validator.iter_errors(doc):
                where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
                problems.append(f"{name}: {where}: {error.message}")

    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        return 1
    if skip_reason:
        print(f"SKIP schema validation: {skip_reason}; the other checks passed")
        return SKIP
    print(f"OK {', '.join(MANIFESTS)} valid against {schema_dir}; {', '.join(RECIPES)} compile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
