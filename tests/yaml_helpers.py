"""Small YAML reading helper for test data."""

from pathlib import Path

from ruamel.yaml import YAML


def read(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
